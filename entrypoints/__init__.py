"""Entry points into Dagy: the `dagy` command line (and, later, the control-plane server)."""
