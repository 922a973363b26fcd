"""SQL repositories for runs, task runs and the outbox."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from dagy.adapters.values import (UNSERIALIZABLE, check_limit, decode_cursor,
                                    decode_time_cursor, encode_cursor, encode_time_cursor,
                                    now, persistable, utc)
from dagy.adapters.sql.rows import SequencedRepository, SqlRepository, from_row, to_row
from dagy.adapters.sql.tables import outbox, runs
from dagy.adapters.sql.tables import task_runs as task_run_rows
from dagy.domain.events import OutboxEvent
from dagy.domain.runs import Run, TaskRun, TriggerSource
from dagy.domain.states import RunStatus, TaskRunStatus

RUN_UPDATES = tuple(c.name for c in runs.c if c.name not in ("run_id", "org_id", "created_at"))
TASK_RUN_UPDATES = ("status", "attempt", "executor", "started_at", "completed_at",
                    "error_message", "output_ref", "result", "error_traceback")


_INSERT_RUN = runs.insert()
# built once: the compare-and-set runs twice per executed run
_CAS_RUN = (update(runs)
            .where(runs.c.run_id == bindparam("key_run_id"),
                   runs.c.org_id == bindparam("key_org_id"),
                   runs.c.status == bindparam("key_status"),
                   runs.c.version == bindparam("key_version"))
            .values(**{name: bindparam(f"new_{name}") for name in RUN_UPDATES}))
_INSERT_EVENT = outbox.insert()
_GET_RUN = select(runs).where(runs.c.org_id == bindparam("org_id"),
                              runs.c.run_id == bindparam("run_id"))


def _run_row(run: Run) -> dict[str, Any]:
    """A result that is not faithfully JSON is stored as NULL (the run keeps its status)."""
    return to_row(run, runs, result=persistable(run.result)[1])


def _to_run(row: Any) -> Run:
    source = row.trigger_source
    return from_row(Run, row, status=RunStatus(row.status),
                    trigger_source=TriggerSource(source) if source else None)


class SqlRunRepository(SqlRepository):
    def add(self, run: Run) -> None:
        row = _run_row(run)
        row["created_at"] = row["created_at"] or now()
        self._guarded(_INSERT_RUN, row, f"run {run.run_id!r} or its idempotency key")

    def get_by_idempotency_key(self, org_id: str, key: str) -> Run | None:
        return self._one(runs.c.org_id == org_id, runs.c.idempotency_key == key)

    def _one(self, *where: Any) -> Run | None:
        row = self._run(select(runs).where(*where)).first()
        return _to_run(row) if row else None

    def add_many(self, runs_: Sequence[Run]) -> None:
        """One executemany; all-or-nothing (a conflict fails the whole statement)."""
        rows = []
        for run in runs_:
            row = _run_row(run)
            row["created_at"] = row["created_at"] or now()
            rows.append(row)
        if rows:
            self._guarded(_INSERT_RUN, rows, f"one of {len(rows)} runs", many=True)

    def get(self, org_id: str, run_id: str) -> Run | None:  # the hottest read: prebuilt
        row = self._run(_GET_RUN, {"org_id": org_id, "run_id": run_id}).first()
        return _to_run(row) if row else None

    def list(self, org_id: str, *, flow_name: str | None = None,
             deployment_name: str | None = None, status: str | None = None,
             created_after: datetime | None = None, created_before: datetime | None = None,
             limit: int = 50, cursor: str | None = None) -> tuple[list[Run], str | None]:
        """Newest first; `created_after` is inclusive, `created_before` exclusive."""
        c = runs.c
        run_id = self._ordered(c.run_id)
        query = select(runs).where(c.org_id == org_id)
        for column, value in ((c.flow_name, flow_name), (c.deployment_name, deployment_name),
                              (c.status, None if status is None else str(status))):
            if value is not None:
                query = query.where(column == value)
        if created_after is not None:
            query = query.where(c.created_at >= utc(created_after))
        if created_before is not None:
            query = query.where(c.created_at < utc(created_before))
        after = decode_time_cursor(cursor)
        if after:
            query = query.where(or_(c.created_at < after[0],
                                    and_(c.created_at == after[0], run_id < after[1])))
        rows = self._run(query.order_by(c.created_at.desc(), run_id.desc())
                         .limit(check_limit(limit) + 1)).all()
        page = [_to_run(row) for row in rows[:limit]]
        more = len(rows) > limit
        return page, encode_time_cursor(page[-1].created_at, page[-1].run_id) if more else None

    def compare_and_set(self, run: Run, expected_status: RunStatus, expected_version: int) -> bool:
        """One conditional UPDATE: on PostgreSQL a concurrent writer waits for the row lock,
        then re-checks the version and updates nothing, so exactly one caller wins."""
        row = _run_row(run)
        params = {f"new_{name}": row[name] for name in RUN_UPDATES}
        params.update(key_run_id=run.run_id, key_org_id=run.org_id,
                      key_status=RunStatus(expected_status).value, key_version=expected_version)
        # the key columns are never changed, so no unique key can be hit: no savepoint
        result = self._run(_CAS_RUN, params, what=f"run {run.run_id!r} update")
        return result.rowcount == 1

    def expired_leases(self, now: datetime, limit: int = 100) -> list[Run]:
        c = runs.c
        rows = self._run(select(runs)
                         .where(c.status == RunStatus.RUNNING.value,
                                c.lease_expires_at.is_not(None), c.lease_expires_at < utc(now))
                         .order_by(c.lease_expires_at, self._ordered(c.run_id))
                         .limit(check_limit(limit)))
        return [_to_run(row) for row in rows]

    def leases_held_by(self, owner: str, limit: int = 100) -> list[Run]:
        c = runs.c
        rows = self._run(select(runs)
                         .where(c.status == RunStatus.RUNNING.value, c.lease_owner == owner)
                         .order_by(c.lease_expires_at.asc().nulls_last(),
                                   self._ordered(c.run_id))
                         .limit(check_limit(limit)))
        return [_to_run(row) for row in rows]


@functools.cache
def _upsert_task_runs(dialect_name: str) -> Any:
    """INSERT .. ON CONFLICT DO UPDATE, built once per dialect (it is on the hot path)."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(task_run_rows)
    return insert.on_conflict_do_update(
        index_elements=[task_run_rows.c.task_run_id],
        set_={name: insert.excluded[name] for name in TASK_RUN_UPDATES},
        where=and_(task_run_rows.c.org_id == insert.excluded.org_id,
                   task_run_rows.c.run_id == insert.excluded.run_id))


class SqlTaskRunRepository(SequencedRepository):
    def upsert_many(self, org_id: str, task_runs: Sequence[TaskRun]) -> None:
        """One batched INSERT .. ON CONFLICT DO UPDATE. An existing row keeps its seq
        (creation order), task and map index; a row of another org or run is never
        touched (the WHERE of the update)."""
        rows: dict[str, dict[str, Any]] = {}
        for tr in task_runs:
            ok, result = persistable(tr.result)
            rows[tr.task_run_id] = to_row(tr, task_run_rows, org_id=org_id, result=result,
                                          output_ref=tr.output_ref if ok else UNSERIALIZABLE)
        if not rows:
            return
        for row, seq in zip(rows.values(), self._sequence.take(len(rows))):
            row["seq"] = seq
        statement = _upsert_task_runs(self._conn.dialect.name)
        self._run(statement, list(rows.values()), what="task run upsert")

    def _query(self, org_id: str, run_id: str, *columns: Any) -> Any:
        c = task_run_rows.c
        return select(*(columns or (task_run_rows,))).where(c.org_id == org_id, c.run_id == run_id)

    def list_for_run(self, org_id: str, run_id: str, *, limit: int = 1000,
                     cursor: str | None = None) -> tuple[list[TaskRun], str | None]:
        c = task_run_rows.c
        task_run_id = self._ordered(c.task_run_id)
        query = self._query(org_id, run_id)
        after = decode_cursor(cursor, int, str)
        if after:
            query = query.where(or_(c.seq > after[0],
                                    and_(c.seq == after[0], task_run_id > after[1])))
        rows = self._run(query.order_by(c.seq, task_run_id).limit(check_limit(limit) + 1)).all()
        page = [from_row(TaskRun, row, status=TaskRunStatus(row.status)) for row in rows[:limit]]
        more = len(rows) > limit
        last = rows[limit - 1] if more else None
        return page, encode_cursor([last.seq, last.task_run_id]) if more else None

    def succeeded_results(self, org_id: str, run_id: str) -> dict[str, Any]:
        return {tr.task_id: tr.result for tr in self.succeeded_task_runs(org_id, run_id)
                if tr.map_index is None}

    def succeeded_task_runs(self, org_id: str, run_id: str) -> list[TaskRun]:
        """Mapped items included. Only results stored inline: `output_ref` is set when
        the value is elsewhere or could not be stored ("unserializable")."""
        c = task_run_rows.c
        rows = self._run(self._query(org_id, run_id)
                         .where(c.status == TaskRunStatus.SUCCEEDED.value,
                                c.output_ref.is_(None))
                         .order_by(c.seq))
        return [from_row(TaskRun, row, status=TaskRunStatus(row.status)) for row in rows]


class SqlOutboxRepository(SequencedRepository):
    def add(self, event: OutboxEvent) -> None:
        self._guarded(_INSERT_EVENT, to_row(event, outbox, seq=self._sequence.next()),
                      f"outbox event {event.event_id!r}")

    def add_many(self, events: Sequence[OutboxEvent]) -> None:
        rows = [to_row(event, outbox, seq=seq)
                for event, seq in zip(events, self._sequence.take(len(events)))]
        if rows:
            self._guarded(_INSERT_EVENT, rows, f"{len(rows)} outbox events", many=True)

    def pending(self, limit: int = 100) -> list[OutboxEvent]:
        """On PostgreSQL the rows stay locked until the unit of work ends and concurrent
        relays skip them; the relay sends and marks them before it commits, so two relays
        never publish the same event. SQLite has one writer at a time (BEGIN IMMEDIATE),
        which serializes relays the same way."""
        rows = self._run(select(outbox).where(outbox.c.dispatched_at.is_(None))
                         .order_by(outbox.c.seq).limit(check_limit(limit))
                         .with_for_update(skip_locked=True))
        return [from_row(OutboxEvent, row) for row in rows]

    def mark_dispatched(self, event_ids: Sequence[str], at: datetime) -> None:
        if event_ids:
            self._run(update(outbox).where(outbox.c.event_id.in_(list(event_ids)),
                                           outbox.c.dispatched_at.is_(None))
                      .values(dispatched_at=utc(at)))
