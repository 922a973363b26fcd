"""SQL adapters (SQLAlchemy Core): SQLite for the embedded default, PostgreSQL in production."""
