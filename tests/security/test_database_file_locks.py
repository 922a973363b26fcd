"""Resolving the embedded database's URL never drops this process's SQLite locks.

Closing any descriptor of a file releases every POSIX lock the process holds on it, and
SQLite's locks are POSIX locks: if `DagySettings.resolved_database_url()` opened the
database file while a connection of the same process held the write lock, another
process could write at the same time and corrupt the database (seen as "disk I/O error"
and "database disk image is malformed" when a second process wrote to a running
server's database).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from dagy.entrypoints.settings import DagySettings

# Leaving WAL needs every other connection gone: SQLite checks with an exclusive lock on
# the database file, which our open connection's shared lock must block.
LEAVE_WAL = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
try:
    print(conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0])
except sqlite3.OperationalError as exc:
    print("locked" if "locked" in str(exc) else f"error: {exc}")
"""


def _other_process_leaves_wal(path) -> str:
    return subprocess.run([sys.executable, "-c", LEAVE_WAL, str(path)], capture_output=True,
                          text=True, timeout=30).stdout.strip()


def test_a_held_lock_survives_resolving_the_database_url(tmp_path):
    settings = DagySettings(home=tmp_path / "home")
    path = settings.home / "dagy.db"
    settings.resolved_database_url()  # creates the file
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM t").fetchone()  # a read: a shared lock, held
    try:
        assert _other_process_leaves_wal(path) in ("wal", "locked")
        for _ in range(3):
            assert settings.resolved_database_url().endswith("dagy.db")
        assert _other_process_leaves_wal(path) in ("wal", "locked")  # our lock still holds
    finally:
        conn.rollback()
        conn.close()
    assert _other_process_leaves_wal(path) == "delete"  # alone, it may
