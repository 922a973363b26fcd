"""The RunRecorder contract, over every recorder: run_local's in-memory recorder and the
StoreRecorder over memory, SQLite and PostgreSQL units of work.

Every recorder keeps the order of what it receives, persists everything received on
`flush`, lets a pending change be seen within a second without one, and commits the
run's end once, reporting the state committed. Capability flags say where a recorder
legitimately differs: the in-memory recorder keeps the live objects (nothing to copy)
and owns its runs outright (nothing can win a race with its end).
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest
from execution_harness import ORG, make_deps

from dagy.adapters.memory.recorder import InMemoryRunRecorder
from dagy.application.recording import StoreRecorder
from dagy.domain.runs import Run, TaskRun
from dagy.domain.states import RunStatus, TaskRunStatus

S = TaskRunStatus
# (recorder, datastore): the in-memory recorder needs none; uow_factory is contract/conftest's
pytestmark = pytest.mark.parametrize(("kind", "uow_factory"), [
    pytest.param("memory-recorder", "memory", id="memory-recorder"),
    pytest.param("store", "memory", id="store-memory"),
    pytest.param("store", "sqlite", id="store-sqlite"),
    pytest.param("store", "postgres", id="store-postgres", marks=pytest.mark.postgres),
], indirect=["uow_factory"])
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


class CountingUow:
    """A unit-of-work factory that counts commits, to see how many writes an end costs."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make, self.commits = make, 0

    def __call__(self) -> Any:
        uow = self.make()
        commit = uow.commit

        def counted() -> None:
            commit()
            self.commits += 1
        uow.commit = counted
        return uow


@dataclass
class Subject:
    recorder: Any
    run: Run  # as claimed: RUNNING, leased
    stored_task_runs: Callable[[], dict[str, TaskRun]]  # as a separate reader sees them
    stored_run: Callable[[], Run | None]
    commits: Callable[[], int]
    copies: bool  # keeps what it was given at the time (the live object may change on)
    deps: Any = None  # a store others write too (a cancel, the sweeper): they can win the end

    @property
    def shared(self) -> bool:
        return self.deps is not None

    def running(self) -> Any:
        """The recorder's lifetime as its run's executor uses it (timer on, if it has one)."""
        return self.recorder if hasattr(self.recorder, "__enter__") else contextlib.nullcontext()


def change_elsewhere(subject: Subject, status: RunStatus) -> None:
    """Another writer changes the run by compare-and-set behind its executor's back."""
    with subject.deps.uow() as uow:
        run = uow.runs.get(ORG, subject.run.run_id)
        expected = run.version
        run.move_to(status, T0)
        run.version += 1
        assert uow.runs.compare_and_set(run, RunStatus.RUNNING, expected)
        uow.commit()


def claimed_run() -> Run:
    return Run("run-1", "etl", "1", RunStatus.RUNNING, {"n": 1}, org_id=ORG, created_at=T0,
               started_at=T0, version=1, lease_owner="me",
               lease_expires_at=datetime.now(timezone.utc) + timedelta(seconds=30))


@pytest.fixture
def subject(kind, uow_factory):
    if kind == "memory-recorder":
        recorder = InMemoryRunRecorder()
        run = claimed_run()
        recorder.run_changed(run)
        yield Subject(recorder, run, lambda: dict(recorder.task_runs),
                      lambda: recorder.runs.get(run.run_id), lambda: 0, copies=False)
        return
    counting = CountingUow(uow_factory)
    deps = make_deps(counting)
    run = claimed_run()
    with deps.uow() as uow:
        uow.runs.add(run)
        uow.commit()
    recorder = StoreRecorder(deps, dataclasses.replace(run), batch_size=50)

    def stored_task_runs() -> dict[str, TaskRun]:
        with deps.uow() as uow:
            return {tr.task_run_id: tr for tr in uow.task_runs.list_for_run(ORG, run.run_id)[0]}

    def stored_run() -> Run | None:
        with deps.uow() as uow:
            return uow.runs.get(ORG, run.run_id)
    yield Subject(recorder, dataclasses.replace(run), stored_task_runs, stored_run,
                  lambda: counting.commits, copies=True, deps=deps)
    recorder.__exit__(None, None, None)


def task_run(task_id: str, map_index: int | None = None) -> TaskRun:
    suffix = "" if map_index is None else f"[{map_index}]"
    return TaskRun(f"run-1.{task_id}{suffix}", "run-1", task_id, task_id, map_index=map_index)


def step(recorder: Any, tr: TaskRun, status: TaskRunStatus, at: float, **fields: Any) -> None:
    tr.move_to(status, T0 + timedelta(seconds=at))
    for name, value in fields.items():
        setattr(tr, name, value)
    recorder.task_runs_changed((tr,))


def view(tr: TaskRun) -> tuple:
    return (tr.status, tr.attempt, tr.started_at, tr.completed_at, tr.error_message, tr.result)


def test_the_last_change_of_each_task_run_wins_in_the_order_received(subject):
    recorder = subject.recorder
    a, b = task_run("a"), task_run("b")
    recorder.task_runs_changed([a, b])
    step(recorder, a, S.RUNNING, 1)
    step(recorder, a, S.PENDING, 2, error_message="ValueError: first try")
    recorder.flush()
    step(recorder, b, S.RUNNING, 3)
    step(recorder, a, S.RUNNING, 4)
    step(recorder, a, S.SUCCEEDED, 5, result={"rows": [1, 2]})
    step(recorder, b, S.FAILED, 6, error_message="boom")
    recorder.flush()
    stored = subject.stored_task_runs()
    assert view(stored[a.task_run_id]) == view(a) and view(stored[b.task_run_id]) == view(b)
    assert stored[a.task_run_id].attempt == 2
    if isinstance(recorder, InMemoryRunRecorder):
        assert recorder.statuses(a.task_run_id) == ["PENDING", "RUNNING", "PENDING", "RUNNING",
                                                    "SUCCEEDED"]
    else:
        lines = [line.message for line in subject.deps.logs.read(ORG, "run-1")[0]]
        assert lines == ["task a RUNNING (attempt 1)",
                         "task a PENDING (attempt 1): ValueError: first try",
                         "task b RUNNING (attempt 1)", "task a RUNNING (attempt 2)",
                         "task a SUCCEEDED (attempt 2)", "task b FAILED (attempt 1): boom"]


def test_what_is_recorded_is_the_change_as_it_was_sent(subject):
    if not subject.copies:
        pytest.skip("the in-memory recorder keeps the live objects, as run_local reports them")
    a = task_run("a")
    step(subject.recorder, a, S.RUNNING, 1)
    a.error_message = "changed after it was sent"  # the live object moves on
    subject.recorder.flush()
    assert subject.stored_task_runs()[a.task_run_id].error_message is None


def test_flush_persists_everything_received(subject):
    recorder = subject.recorder
    items = [task_run("m", i) for i in range(120)]  # more than one batch of 50
    recorder.task_runs_changed(items)
    for i, tr in enumerate(items[:70]):
        step(recorder, tr, S.RUNNING, i)
    recorder.flush()
    stored = subject.stored_task_runs()
    assert len(stored) == 120
    assert [stored[tr.task_run_id].status for tr in items] == [S.RUNNING] * 70 + [S.PENDING] * 50


def test_a_pending_change_is_visible_within_a_second_without_a_flush(subject):
    a = task_run("a")
    with subject.running():
        started = time.monotonic()
        step(subject.recorder, a, S.RUNNING, 1)  # and then the task runs for minutes
        seen = None
        while time.monotonic() - started < 1.0:
            seen = subject.stored_task_runs().get(a.task_run_id)
            if seen is not None:
                break
            time.sleep(0.02)
    assert seen is not None and seen.status is S.RUNNING


def test_finish_commits_the_end_once_and_reports_it(subject):
    recorder = subject.recorder
    a = task_run("a")
    recorder.task_runs_changed([a])
    step(recorder, a, S.RUNNING, 1)
    step(recorder, a, S.SUCCEEDED, 2, result=(1, 2))
    run = subject.run
    run.move_to(RunStatus.SUCCEEDED, T0 + timedelta(seconds=3))
    run.result = (1, 2)
    before = subject.commits()
    committed = recorder.finish(run)
    assert committed is run and committed.status is RunStatus.SUCCEEDED
    stored = subject.stored_run()
    assert stored.status is RunStatus.SUCCEEDED
    assert subject.stored_task_runs()[a.task_run_id].status is S.SUCCEEDED
    if isinstance(recorder, InMemoryRunRecorder):
        assert [s for key, s, _ in recorder.history if key == run.run_id] == ["RUNNING",
                                                                                "SUCCEEDED"]
        return
    assert subject.commits() - before == 1  # the task run and the run: one unit of work
    assert (stored.result, stored.lease_owner, stored.lease_expires_at) == ([1, 2], None, None)
    assert stored.version == run.version == 2
    assert subject.stored_task_runs()[a.task_run_id].result == [1, 2]
    assert not recorder.extend_lease() and not recorder.still_owns()  # the end is the end


def test_a_lost_compare_and_set_reports_the_winners_state(subject):
    if not subject.shared:
        pytest.skip("nothing else writes run_local's runs: its end always commits")
    recorder, run = subject.recorder, subject.run
    a = task_run("a")
    step(recorder, a, S.RUNNING, 1)
    step(recorder, a, S.SUCCEEDED, 2, result=7)
    change_elsewhere(subject, RunStatus.CANCELLED)  # a cancel lands before the end
    run.move_to(RunStatus.SUCCEEDED, T0 + timedelta(seconds=3))
    run.result = 7
    committed = recorder.finish(run)
    assert committed.status is RunStatus.CANCELLED and committed.result is None
    assert subject.stored_run().status is RunStatus.CANCELLED
    assert subject.stored_task_runs()[a.task_run_id].status is S.SUCCEEDED  # what really ran


def test_the_lease_is_extended_through_the_owner_of_the_version(subject):
    if not subject.shared:
        pytest.skip("run_local's runs hold no lease")
    recorder = subject.recorder
    first = subject.stored_run()
    assert recorder.still_owns()
    assert recorder.extend_lease()
    extended = subject.stored_run()
    assert extended.version == first.version + 1 == recorder.version
    assert extended.lease_expires_at >= first.lease_expires_at
    assert extended.status is RunStatus.RUNNING and extended.lease_owner == "me"
    change_elsewhere(subject, RunStatus.QUEUED)  # the sweeper re-queued it
    assert not recorder.still_owns() and not recorder.extend_lease()
    assert subject.stored_run().status is RunStatus.QUEUED


def test_a_run_that_ends_without_an_end_keeps_what_it_recorded(subject):
    if not subject.shared:
        pytest.skip("the in-memory recorder holds nothing back")
    a = task_run("a")
    subject.recorder.max_delay = 60  # no timer flush before the block ends
    with subject.running():
        step(subject.recorder, a, S.RUNNING, 1)
    assert subject.stored_task_runs()[a.task_run_id].status is S.RUNNING
    assert subject.stored_run().status is RunStatus.RUNNING  # left to the lease sweeper
