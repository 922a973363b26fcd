"""Schema migrations through the Alembic API (no alembic.ini needed).

`upgrade` is meant to run at every start: at head it changes nothing. Concurrent starts
are serialized (PostgreSQL: a transaction-scoped advisory lock; SQLite: BEGIN IMMEDIATE
through `make_engine`'s engines), so only one of them creates the tables.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

from dagy.adapters.sql.engine import make_engine, serial_lock
from dagy.adapters.sql.rows import translated

MIGRATIONS = Path(__file__).resolve().with_name("migrations")
_LOCK_KEY = 0x64616779_6D696772  # "dagymigr"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config pointing at the packaged migrations, bound to `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at; None before the first migration."""
    from alembic.runtime.migration import MigrationContext
    with translated("schema migration"), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(target: Engine | str, revision: str = "head") -> None:
    """Migrate the database of `target` (an Engine or a URL) to `revision`."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        with serial_lock(engine) or nullcontext(), translated("schema migration"):
            with engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
                command.upgrade(alembic_config(conn), revision)
    finally:
        if engine is not target:
            engine.dispose()
