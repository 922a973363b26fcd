"""SQLite's write-ahead log, flushed on purpose.

After stored credentials were converted (tokens hashed, secrets encrypted) the old bytes
still sit in the database file until SQLite checkpoints (at 1,000 WAL pages or when the
last connection closes). A TRUNCATE checkpoint writes the new pages, zeroed where the
converting connection freed them (secure_delete), back at once and empties the log.
"""

from __future__ import annotations

from sqlalchemy import Engine


def checkpoint(engine: Engine) -> None:
    """TRUNCATE-checkpoint a SQLite file database; nothing on other databases."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    raw = engine.raw_connection()  # autocommit: a checkpoint cannot run inside BEGIN
    try:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
