"""Engines for the two supported databases, configured so units of work behave alike.

SQLite: pysqlite's own transaction handling is switched off and every transaction starts
with BEGIN IMMEDIATE, so concurrent writers queue on the lock (up to `busy_timeout`)
instead of failing with "database is locked" half-way through. File databases use WAL so
readers never block the writer. `sqlite:///:memory:` shares one connection (StaticPool);
its units of work are serialized by a process-local lock (see `serial_lock`).

PostgreSQL: psycopg 3 with pre-ping, so connections dropped by the server are replaced.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

# the lock of a single-connection database lives on its Engine: no registry to share
_SERIAL_LOCK = "dagy_serial_lock"


def make_engine(url: str, **engine_kwargs: Any) -> Engine:
    """An Engine for `url` (sqlite:///path, sqlite:///:memory:, postgresql://...)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, engine_kwargs)
    if parsed.get_backend_name() in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
        engine_kwargs.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **engine_kwargs)
    raise ValueError(f"unsupported database URL {parsed.render_as_string()!r}: "
                     "use sqlite:///<path> or postgresql://...")


def serial_lock(engine: Engine) -> threading.RLock | None:
    """The lock units of work must hold on a single-connection (in-memory) database."""
    return getattr(engine, _SERIAL_LOCK, None)


def _sqlite_engine(url, engine_kwargs: dict[str, Any]) -> Engine:
    database = url.database or ""
    in_memory = database in ("", ":memory:") or "mode=memory" in str(url.query)
    connect_args = {"check_same_thread": False, **engine_kwargs.pop("connect_args", {})}
    if in_memory:
        engine_kwargs.setdefault("poolclass", StaticPool)
    elif not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args=connect_args, **engine_kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        try:
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    if in_memory:
        setattr(engine, _SERIAL_LOCK, threading.RLock())
    return engine
