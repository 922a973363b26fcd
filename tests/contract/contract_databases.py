"""Fresh databases for the contract tests: a SQLite file, or a PostgreSQL schema of its own.

A module of its own (not conftest.py) so that test modules can import these helpers by a
name no other directory's conftest shadows. The helpers live in tests/support/
fresh_databases.py, shared with the other suites that need a database of their own.
"""

from __future__ import annotations

from fresh_databases import (POSTGRES_URL_ENV, empty_database, postgres_schema_engine,
                             postgres_url)

__all__ = ["POSTGRES_URL_ENV", "empty_database", "postgres_schema_engine", "postgres_url"]
