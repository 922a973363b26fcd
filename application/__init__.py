"""Use cases and the DAG runner. Imports only the domain."""
