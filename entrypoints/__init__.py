"""Entry points into Dagy: the `dagy` command line, the control-plane server and its HTTP
API, and the AWS Lambda handlers."""
