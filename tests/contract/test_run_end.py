"""A run's end through execute_run, on every datastore: hooks follow what was committed,
and a running task is visible while it runs.

A cancel that lands after the last task but before the end is committed wins the
compare-and-set: the run stays CANCELLED, execute_run says so, and no on_completion hook
announces a success that was never stored. A task that runs for seconds is visible as
RUNNING within a second (the recorder flushes on a timer, not only on the next change).
"""

from __future__ import annotations

import threading
import time

from execution_harness import (ORG, make_deps, queued_run, register, stored_run,
                               stored_task_runs)

from dagy import Hook, flow, task
from dagy.application.context import RunContext
from dagy.application.use_cases.claim_and_run import execute_run
from dagy.domain.states import RunStatus, TaskRunStatus

EVENTS: list[tuple[str, object]] = []
RACE: dict[str, object] = {}
RELEASE = threading.Event()
STARTED = threading.Event()  # the slow task's body is running


class Announce(Hook):
    def on_completion(self, context, state):
        EVENTS.append(("completion", state.result))

    def on_failure(self, context, state):
        EVENTS.append(("failure", state.message))


@task
def total(n: int) -> int:
    deps = RACE.get("deps")
    if deps is not None:  # someone cancels the run as its last task ends
        change_elsewhere(deps, RunContext.current().run_id)
    return n * 2


@flow(name="announced", version="1", hooks=[Announce()])
def announced(n: int = 1):
    return total(n)


@task
def slow() -> str:
    STARTED.set()
    RELEASE.wait(3)  # a task that would take 3 s; the test lets it go once it saw it
    return "done"


@flow(name="slow", version="1")
def slow_flow():
    return slow()


def change_elsewhere(deps, run_id: str, status: RunStatus = RunStatus.CANCELLED) -> None:
    """Another actor (a cancel from the API, the lease sweeper) changes the run by
    compare-and-set, as cancel_run does, behind its executor's back."""
    with deps.uow() as uow:
        run = uow.runs.get(ORG, run_id)
        expected_status, expected_version = run.status, run.version
        run.move_to(status, deps.clock.now())
        run.version += 1
        assert uow.runs.compare_and_set(run, expected_status, expected_version)
        uow.commit()


def _deps(uow_factory):
    EVENTS.clear()
    RACE.clear()
    deps = make_deps(uow_factory)
    register(deps, announced)
    register(deps, slow_flow)
    return deps


def test_a_cancel_that_wins_the_race_with_the_end_fires_no_completion_hook(uow_factory):
    deps = _deps(uow_factory)
    queued_run(deps, announced, "run-raced", {"n": 3})
    RACE["deps"] = deps
    assert execute_run(deps, ORG, "run-raced") is RunStatus.CANCELLED
    assert EVENTS == []
    stored = stored_run(deps, "run-raced")
    assert stored.status is RunStatus.CANCELLED and stored.result is None
    # what really ran is recorded all the same
    assert stored_task_runs(deps, "run-raced")["total"].status is TaskRunStatus.SUCCEEDED
    lines = [line.message for line in deps.logs.read(ORG, "run-raced")[0]]
    assert lines[-2:] == ["run SUCCEEDED was not recorded: the run was changed elsewhere",
                          "run CANCELLED"]


def test_the_end_without_a_race_is_committed_and_announced(uow_factory):
    deps = _deps(uow_factory)
    queued_run(deps, announced, "run-plain", {"n": 3})
    assert execute_run(deps, ORG, "run-plain") is RunStatus.SUCCEEDED
    assert EVENTS == [("completion", 6)]
    stored = stored_run(deps, "run-plain")
    assert (stored.status, stored.result, stored.lease_owner) == (RunStatus.SUCCEEDED, 6, None)
    assert stored.lease_expires_at is None


def test_a_running_task_is_visible_within_a_second(uow_factory):
    deps = _deps(uow_factory)
    queued_run(deps, slow_flow, "run-slow")
    RELEASE.clear()
    STARTED.clear()
    outcome: list[RunStatus | None] = []
    runner = threading.Thread(target=lambda: outcome.append(execute_run(deps, ORG, "run-slow")))
    runner.start()
    seen = None
    try:
        assert STARTED.wait(10)  # the second counts from the task's start, not the claim's
        started = time.monotonic()
        while time.monotonic() - started < 1.0:
            seen = stored_task_runs(deps, "run-slow").get("slow")  # a separate unit of work
            if seen is not None and seen.status is TaskRunStatus.RUNNING:
                break
            time.sleep(0.02)
        assert seen is not None and seen.status is TaskRunStatus.RUNNING, seen
        assert not RELEASE.is_set()  # still inside the task
    finally:
        RELEASE.set()
        runner.join(10)
    assert outcome == [RunStatus.SUCCEEDED]
    assert stored_task_runs(deps, "run-slow")["slow"].status is TaskRunStatus.SUCCEEDED
