"""SqlLogSink: run logs as rows of `log_lines`, read back in `line_id` order.

The cursor is the `line_id` of the last line returned (cursor rules: dagy.adapters.local.logs).
On PostgreSQL, writers to one run are serialized with a transaction-scoped advisory lock:
`line_id`s of a run are then committed in increasing order, so a reader following the
cursor of a running flow never steps over lines a slower transaction commits later.
"""

from __future__ import annotations

import hashlib
from contextlib import AbstractContextManager, nullcontext
from typing import Sequence

from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from dagy.adapters.storage_rules import LogSinkError, check_limit, parse_cursor, to_utc
from dagy.adapters.sql.tables import log_lines
from dagy.application.ports.storage import LogLine

try:  # single-connection (in-memory) SQLite: share the lock the units of work hold
    from dagy.adapters.sql.engine import serial_lock
except ImportError:  # pragma: no cover - engine module absent
    def serial_lock(engine: Engine) -> None:
        return None

__all__ = ["SqlLogSink", "LogSinkError"]

_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


class SqlLogSink:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def write(self, org_id: str, group: str, stream: str, run_id: str,
              lines: Sequence[LogLine]) -> None:
        if not lines:
            return
        rows = [{"org_id": org_id, "run_id": run_id, "log_group": group, "log_stream": stream,
                 "task_run_id": line.task_run_id, "level": line.level,
                 "message": line.message, "timestamp": to_utc(line.timestamp)}
                for line in lines]
        try:
            with self._serial(), self.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(_ADVISORY_LOCK, {"key": _lock_key(org_id, run_id)})
                conn.execute(log_lines.insert(), rows)
        except SQLAlchemyError as exc:
            raise LogSinkError(f"cannot write {len(rows)} log lines of run {run_id!r}: "
                               f"{_reason(exc)}") from exc

    def read(self, org_id: str, run_id: str, *, limit: int = 1000,
             cursor: str | None = None) -> tuple[list[LogLine], str | None]:
        check_limit(limit)
        after = parse_cursor(cursor)
        t = log_lines.c
        query = (select(t.line_id, t.timestamp, t.message, t.level, t.task_run_id)
                 .where(t.org_id == org_id, t.run_id == run_id, t.line_id > after)
                 .order_by(t.line_id).limit(limit))
        try:
            with self._serial(), self.engine.connect() as conn:
                rows = conn.execute(query).all()
        except SQLAlchemyError as exc:
            raise LogSinkError(f"cannot read log lines of run {run_id!r}: "
                               f"{_reason(exc)}") from exc
        if not rows:
            return [], cursor
        lines = [LogLine(timestamp=to_utc(r.timestamp), message=r.message, level=r.level,
                         task_run_id=r.task_run_id) for r in rows]
        return lines, str(rows[-1].line_id)

    def _serial(self) -> AbstractContextManager:
        lock = serial_lock(self.engine)
        return lock if lock is not None else nullcontext()


def _lock_key(org_id: str, run_id: str) -> int:
    """A stable signed 64-bit key for the run (PostgreSQL advisory locks take a bigint)."""
    digest = hashlib.blake2b(f"{org_id}\x00{run_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    lines = str(original if original is not None else exc).strip().splitlines()
    return (lines[0] if lines else type(exc).__name__)[:300]
