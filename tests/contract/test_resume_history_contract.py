"""A resumed run keeps the history of the tasks it does not run again, on every datastore.

A run resumes after its executor died (the lease sweeper re-queues it) or after a retry.
Tasks whose results were persisted are skipped; their records must stay as the earlier
attempt wrote them (state, attempt count, start and end times, result, output ref), so
the history is true and a later resume still finds their results.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from execution_harness import (ORG, ShiftedClock, drain, make_deps, queued_run, register,
                               stored_run, stored_task_runs)
from repo_builders import same

from dagy.application.principal import Principal
from dagy.application.use_cases.claim_and_run import claim_run
from dagy.application.use_cases.lost_leases import requeue_expired
from dagy.application.use_cases.runs import retry_run
from dagy import flow, task
from dagy.domain.runs import TaskRun
from dagy.domain.states import RunStatus, TaskRunStatus

S = TaskRunStatus
CALLS: list[str] = []
FAILURES = {"plus_one": 0}


@task
def produce(n: int) -> dict:
    CALLS.append("produce")
    return {"n": n, "items": [n, n * 2]}


@task
def plus_one(value: dict) -> int:
    CALLS.append("plus_one")
    if FAILURES["plus_one"]:
        FAILURES["plus_one"] -= 1
        raise RuntimeError("plus_one failed")
    return value["n"] + 1


@flow(name="resumable", version="1")
def resumable(n: int = 1):
    return plus_one(produce(n))


def _fresh(uow_factory):
    CALLS.clear()
    FAILURES["plus_one"] = 0
    deps = make_deps(uow_factory)
    register(deps, resumable)
    return deps


def test_a_run_resumed_after_its_executor_died_keeps_the_records_of_skipped_tasks(uow_factory):
    deps = _fresh(uow_factory)
    run = queued_run(deps, resumable, "run-crashed", {"n": 4})
    assert claim_run(deps, ORG, run.run_id) is not None  # an executor claimed it, then died
    started = datetime(2026, 3, 1, 12, 0, 1, 250000, tzinfo=timezone.utc)
    earlier = TaskRun(f"{run.run_id}.produce", run.run_id, "produce", "produce", S.SUCCEEDED,
                      attempt=2, started_at=started, completed_at=started + timedelta(seconds=3),
                      result={"n": 4, "items": [4, 8]})
    interrupted = TaskRun(f"{run.run_id}.plus_one", run.run_id, "plus_one", "plus_one",
                          S.RUNNING, attempt=1, started_at=started + timedelta(seconds=4))
    with deps.uow() as uow:  # what the dead executor's recorder had written
        uow.task_runs.upsert_many(ORG, [earlier, interrupted])
        uow.commit()

    deps.clock = ShiftedClock(timedelta(seconds=deps.lease_seconds * 4))
    assert requeue_expired(deps) == 1
    drain(deps)

    done = stored_run(deps, run.run_id)
    assert done.status is RunStatus.SUCCEEDED and done.result == 5
    assert CALLS == ["plus_one"]  # the persisted task was not run again
    records = stored_task_runs(deps, run.run_id)
    assert same(records["produce"], earlier), records["produce"]
    again = records["plus_one"]
    assert again.status is S.SUCCEEDED and again.started_at > interrupted.started_at


def test_retried_runs_keep_the_first_attempts_records_and_results(uow_factory):
    deps = _fresh(uow_factory)
    FAILURES["plus_one"] = 2  # the run fails, and fails again once retried
    run = queued_run(deps, resumable, "run-retried", {"n": 7})
    drain(deps)
    assert stored_run(deps, run.run_id).status is RunStatus.FAILED
    first = stored_task_runs(deps, run.run_id)["produce"]
    assert (first.status, first.attempt) == (S.SUCCEEDED, 1)
    assert first.started_at is not None and first.completed_at is not None

    for expected in (RunStatus.FAILED, RunStatus.SUCCEEDED):
        retry_run(deps, Principal(ORG), run.run_id)
        drain(deps)
        assert stored_run(deps, run.run_id).status is expected
        assert same(stored_task_runs(deps, run.run_id)["produce"], first)

    assert stored_run(deps, run.run_id).result == 8  # the second resume still had the result
    assert CALLS == ["produce", "plus_one", "plus_one", "plus_one"]
    assert stored_task_runs(deps, run.run_id)["plus_one"].status is S.SUCCEEDED
