"""In-memory run, task run and outbox repositories (semantics: dagy.adapters.memory.store)."""

from __future__ import annotations

import copy
import dataclasses
from datetime import datetime
from typing import Any, Sequence

from dagy.adapters.memory.store import Repo, copy_of, keyset_page, stored_copy
from dagy.adapters.values import (UNSERIALIZABLE, check_limit, decode_cursor,
                                    decode_time_cursor, encode_cursor, encode_time_cursor,
                                    now, persistable, utc)
from dagy.domain.events import OutboxEvent
from dagy.domain.runs import Run, TaskRun
from dagy.domain.states import RunStatus, TaskRunStatus

TASK_RUN_UPDATES = ("status", "attempt", "executor", "started_at", "completed_at",
                    "error_message", "output_ref", "result", "error_traceback")


def _run_to_store(run: Run) -> Run:
    """The stored form: a result that is not faithfully JSON is dropped (as SQL must)."""
    result = persistable(run.result)[1]
    stored = stored_copy(dataclasses.replace(run, result=None))
    stored.status, stored.result = RunStatus(stored.status), result
    return stored


class InMemoryRunRepository(Repo):
    def add(self, run: Run) -> None:
        stored = _run_to_store(run)
        stored.created_at = stored.created_at or now()
        self._conflict_if(self._tx.get("runs", run.run_id) is not None, f"run {run.run_id!r}")
        self._claim_key(stored, None)
        self._tx.put("runs", run.run_id, stored)

    def add_many(self, runs: Sequence[Run]) -> None:
        """All or nothing, like one SQL statement: every conflict is checked first."""
        ids = [run.run_id for run in runs]
        keys = [(run.org_id, run.idempotency_key) for run in runs if run.idempotency_key]
        self._conflict_if(len(set(ids)) < len(ids) or len(set(keys)) < len(keys)
                          or any(self._tx.get("runs", i) is not None for i in ids)
                          or any(self._tx.get("run_keys", k) is not None for k in keys),
                          f"one of {len(ids)} runs")
        for run in runs:
            self.add(run)

    def _claim_key(self, new: Run, old: Run | None) -> None:
        """Maintain the (org_id, idempotency_key) unique index."""
        old_key = (old.org_id, old.idempotency_key) if old and old.idempotency_key else None
        new_key = (new.org_id, new.idempotency_key) if new.idempotency_key else None
        if new_key != old_key and new_key is not None:
            self._conflict_if(self._tx.get("run_keys", new_key) is not None,
                              f"a run with idempotency key {new.idempotency_key!r}")
        if old_key is not None and old_key != new_key:
            self._tx.delete("run_keys", old_key)
        if new_key is not None:
            self._tx.put("run_keys", new_key, new.run_id)

    def _get(self, org_id: str, run_id: str) -> Run | None:
        run = self._tx.get("runs", run_id)
        return run if run is not None and run.org_id == org_id else None

    def get(self, org_id: str, run_id: str) -> Run | None:
        return copy_of(self._get(org_id, run_id))

    def get_by_idempotency_key(self, org_id: str, key: str) -> Run | None:
        run_id = self._tx.get("run_keys", (org_id, key))
        return self.get(org_id, run_id) if run_id is not None else None

    def list(self, org_id: str, *, flow_name: str | None = None,
             deployment_name: str | None = None, status: str | None = None,
             created_after: datetime | None = None, created_before: datetime | None = None,
             limit: int = 50, cursor: str | None = None) -> tuple[list[Run], str | None]:
        after, before = utc(created_after), utc(created_before)
        rows = [r for r in self._tx.rows("runs") if r.org_id == org_id
                and (flow_name is None or r.flow_name == flow_name)
                and (deployment_name is None or r.deployment_name == deployment_name)
                and (status is None or r.status.value == str(status))
                and (after is None or r.created_at >= after)
                and (before is None or r.created_at < before)]
        page, last = keyset_page(rows, lambda r: (r.created_at, r.run_id), limit,
                                 decode_time_cursor(cursor), newest_first=True)
        return [copy_of(r) for r in page], encode_time_cursor(*last) if last else None

    def compare_and_set(self, run: Run, expected_status: RunStatus, expected_version: int) -> bool:
        current = self._get(run.org_id, run.run_id)
        if (current is None or current.status is not RunStatus(expected_status)
                or current.version != expected_version):
            return False
        new = _run_to_store(run)
        new.created_at = current.created_at
        self._claim_key(new, current)
        self._tx.put("runs", run.run_id, new)
        return True

    def expired_leases(self, now: datetime, limit: int = 100) -> list[Run]:
        cutoff = utc(now)
        rows = [r for r in self._tx.rows("runs") if r.status is RunStatus.RUNNING
                and r.lease_expires_at is not None and r.lease_expires_at < cutoff]
        rows.sort(key=lambda r: (r.lease_expires_at, r.run_id))
        return [copy_of(r) for r in rows[:check_limit(limit)]]

    def leases_held_by(self, owner: str, limit: int = 100) -> list[Run]:
        far = utc(datetime.max.replace(tzinfo=None))
        rows = [r for r in self._tx.rows("runs")
                if r.status is RunStatus.RUNNING and r.lease_owner == owner]
        rows.sort(key=lambda r: (r.lease_expires_at or far, r.run_id))
        return [copy_of(r) for r in rows[:check_limit(limit)]]


class InMemoryTaskRunRepository(Repo):
    def upsert_many(self, org_id: str, task_runs: Sequence[TaskRun]) -> None:
        """Update in place keeps creation order (seq) and identity; a task run id held by
        another org or run is left untouched, as the SQL upsert's WHERE does."""
        for tr in task_runs:
            ok, result = persistable(tr.result)
            new = stored_copy(dataclasses.replace(tr, result=None))
            new.status, new.result = TaskRunStatus(new.status), result
            new.output_ref = new.output_ref if ok else UNSERIALIZABLE
            existing = self._tx.get("task_runs", tr.task_run_id)
            if existing is None:
                self._tx.put("task_runs", tr.task_run_id, (self._tx.sequence.next(), org_id, new))
                continue
            seq, owner, current = existing
            if owner != org_id or current.run_id != tr.run_id:
                continue
            merged = copy.deepcopy(current)
            for name in TASK_RUN_UPDATES:
                setattr(merged, name, getattr(new, name))
            self._tx.put("task_runs", tr.task_run_id, (seq, owner, merged))

    def _for_run(self, org_id: str, run_id: str) -> list[tuple[int, str, TaskRun]]:
        return [row for row in self._tx.rows("task_runs")
                if row[1] == org_id and row[2].run_id == run_id]

    def list_for_run(self, org_id: str, run_id: str, *, limit: int = 1000,
                     cursor: str | None = None) -> tuple[list[TaskRun], str | None]:
        page, last = keyset_page(self._for_run(org_id, run_id),
                                 lambda r: (r[0], r[2].task_run_id), limit,
                                 decode_cursor(cursor, int, str))
        return [copy_of(r[2]) for r in page], encode_cursor(list(last)) if last else None

    def succeeded_results(self, org_id: str, run_id: str) -> dict[str, Any]:
        return {tr.task_id: tr.result for tr in self.succeeded_task_runs(org_id, run_id)
                if tr.map_index is None}

    def succeeded_task_runs(self, org_id: str, run_id: str) -> list[TaskRun]:
        rows = sorted(self._for_run(org_id, run_id), key=lambda r: r[0])
        return [copy_of(tr) for _, _, tr in rows
                if tr.status is TaskRunStatus.SUCCEEDED and tr.output_ref is None]


class InMemoryOutboxRepository(Repo):
    def add(self, event: OutboxEvent) -> None:
        self._conflict_if(self._tx.get("outbox", event.event_id) is not None,
                          f"outbox event {event.event_id!r}")
        self._tx.put("outbox", event.event_id, (self._tx.sequence.next(), stored_copy(event)))

    def add_many(self, events: Sequence[OutboxEvent]) -> None:
        for event in events:
            self.add(event)

    def pending(self, limit: int = 100) -> list[OutboxEvent]:
        rows = sorted((r for r in self._tx.rows("outbox") if r[1].dispatched_at is None),
                      key=lambda r: r[0])
        return [copy_of(event) for _, event in rows[:check_limit(limit)]]

    def mark_dispatched(self, event_ids: Sequence[str], at: datetime) -> None:
        for event_id in event_ids:
            row = self._tx.get("outbox", event_id)
            if row is not None and row[1].dispatched_at is None:
                event = copy.deepcopy(row[1])
                event.dispatched_at = utc(at)
                self._tx.put("outbox", event_id, (row[0], event))
