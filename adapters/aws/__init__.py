"""AWS adapters (boto3): implementations of application ports on AWS services."""
