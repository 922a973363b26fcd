"""AccessLogSink on the SQL database: rows of `access_logs`.

Each call is one short transaction of its own on the engine (not a unit of work): the
access-log writer's thread appends a batch with one executemany, so a request never
waits on this database. The INSERT is compiled once per engine and its parameters are
made with the columns' own bind processors, without SQLAlchemy's per-row statement
machinery: this runs for every request the API answers, and holds the GIL while it
does (a third of the cost per row). Retention deletes the oldest rows in bounded steps via
the `at` index (`DELETE ... WHERE log_id IN (SELECT ... ORDER BY at LIMIT n)`), so one
pass never holds the write lock for long.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import Engine, bindparam, delete, select

from dagy.adapters.sql.engine import serial_lock
from dagy.adapters.sql.rows import from_row, translated
from dagy.adapters.sql.tables import access_logs
from dagy.adapters.storage_rules import to_utc
from dagy.domain.access_log import AccessLogEntry


_WRITTEN = tuple(c.name for c in access_logs.c if c.name != "log_id")  # the database numbers


class SqlAccessLogSink:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = serial_lock(engine)
        compiled = access_logs.insert().values(
            {name: bindparam(name) for name in _WRITTEN}).compile(dialect=engine.dialect)
        self._insert_sql = str(compiled)
        self._order = compiled.positiontup if compiled.positional else None
        self._processors = {
            name: processor for name in _WRITTEN
            if (processor := access_logs.c[name].type._cached_bind_processor(engine.dialect))}

    def _serial(self) -> Any:
        return self._lock if self._lock is not None else nullcontext()

    def append_batch(self, entries: Sequence[AccessLogEntry]) -> None:
        if not entries:
            return
        processors, order = self._processors, self._order
        rows: list[Any] = []
        for entry in entries:
            row = {name: getattr(entry, name) for name in _WRITTEN}
            row["at"] = to_utc(entry.at)
            for name, processor in processors.items():
                row[name] = processor(row[name])
            rows.append(row if order is None else tuple(row[name] for name in order))
        with translated("access log"), self._serial(), self.engine.begin() as conn:
            conn.exec_driver_sql(self._insert_sql, rows)

    def delete_older_than(self, cutoff: datetime, limit: int) -> int:
        if limit < 1:
            return 0
        t = access_logs.c
        oldest = (select(t.log_id).where(t.at < to_utc(cutoff)).order_by(t.at, t.log_id)
                  .limit(limit).scalar_subquery())
        with translated("access log"), self._serial(), self.engine.begin() as conn:
            return conn.execute(delete(access_logs).where(t.log_id.in_(oldest))).rowcount

    def list(self, org_id: str, *, limit: int = 100,
             before: int | None = None) -> list[AccessLogEntry]:
        t = access_logs.c
        query = select(access_logs).where(t.org_id == org_id)
        if before is not None:
            query = query.where(t.log_id < before)
        query = query.order_by(t.log_id.desc()).limit(limit)
        with translated("access log"), self._serial(), self.engine.connect() as conn:
            return [from_row(AccessLogEntry, row) for row in conn.execute(query)]
