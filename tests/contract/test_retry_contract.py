"""Retries on every datastore: succeeded mapped items are kept; `from_tasks` re-runs the
named tasks and their downstream (reset durably in the retry's transaction).

Executions are counted in CALLS, so "kept" means "not executed again", not only
"recorded as succeeded".
"""

from __future__ import annotations

import pytest
from execution_harness import ORG, drain, make_deps, queued_run, register, stored_run
from repo_builders import same

from dagy import flow, task
from dagy.application.principal import Principal
from dagy.application.use_cases.runs import retry_run
from dagy.domain.errors import ConflictError, NotFoundError, ValidationError
from dagy.domain.states import RunStatus, TaskRunStatus

S = TaskRunStatus
CALLS: list[str] = []
FAIL: set[int] = set()  # items of `square` that fail once
LISTS: list[list[int]] = []  # what `numbers` returns, one list per call (last one repeats)


@task
def numbers() -> list:
    CALLS.append("numbers")
    return LISTS.pop(0) if len(LISTS) > 1 else LISTS[0]


@task
def square(x: int) -> int:
    CALLS.append(f"square{x}")
    if x in FAIL:
        FAIL.discard(x)
        raise RuntimeError(f"item {x} failed")
    return x * x


@task
def total(values: list) -> int:
    CALLS.append("total")
    return sum(values)


@flow(name="fan", version="1")
def fan():
    return total(square.map(numbers()))


def _start(uow_factory, lists, fail=()):
    CALLS.clear()
    FAIL.clear()
    FAIL.update(fail)
    LISTS[:] = lists
    deps = make_deps(uow_factory)
    register(deps, fan)
    run = queued_run(deps, fan, "run-fan")
    drain(deps)
    return deps, run.run_id


def _records(deps, run_id):
    with deps.uow() as uow:
        return uow.task_runs.list_for_run(ORG, run_id)[0]


def _items(deps, run_id):
    return {tr.map_index: tr for tr in _records(deps, run_id) if tr.task_id == "square"}


def _pending_events(deps):
    with deps.uow() as uow:
        return len(uow.outbox.pending())


def test_a_retry_runs_only_the_failed_items_and_keeps_the_others(uow_factory):
    deps, run_id = _start(uow_factory, [[1, 2, 3]], fail={2})
    assert stored_run(deps, run_id).status is RunStatus.FAILED
    before = _items(deps, run_id)
    assert [before[i].status for i in range(3)] == [S.SUCCEEDED, S.FAILED, S.SUCCEEDED]

    retry_run(deps, Principal(ORG), run_id)
    drain(deps)
    done = stored_run(deps, run_id)
    assert (done.status, done.result) == (RunStatus.SUCCEEDED, 14)
    assert sorted(CALLS) == sorted(["numbers", "square1", "square2", "square3", "square2",
                                    "total"])
    after = _items(deps, run_id)
    assert same(after[0], before[0]) and same(after[2], before[2])  # records untouched
    assert after[1].status is S.SUCCEEDED and after[1].result == 4


@pytest.mark.parametrize("second, expected", [([5, 6], ["square5", "square6"]),
                                              ([4, 5, 6], ["square4", "square5", "square6"])],
                         ids=["other-length", "same-length"])
def test_items_are_not_kept_when_their_upstream_ran_again(uow_factory, second, expected):
    deps, run_id = _start(uow_factory, [[1, 2, 3], second], fail={2})
    # `numbers` must run again on retry (its record lost, as after a crash before it was
    # stored): its new list may differ, so no item of the old one is kept
    with deps.uow() as uow:
        produced = [tr for tr in _records(deps, run_id) if tr.task_id == "numbers"][0]
        produced.move_to(S.PENDING, produced.completed_at)
        produced.result = None
        uow.task_runs.upsert_many(ORG, [produced])
        uow.commit()
    CALLS.clear()
    retry_run(deps, Principal(ORG), run_id)
    drain(deps)
    done = stored_run(deps, run_id)
    assert (done.status, done.result) == (RunStatus.SUCCEEDED, sum(x * x for x in second))
    assert sorted(CALLS) == sorted(["numbers", *expected, "total"])


def test_from_tasks_on_a_succeeded_run_reruns_them_and_their_downstream(uow_factory):
    deps, run_id = _start(uow_factory, [[1, 2]])
    assert stored_run(deps, run_id).status is RunStatus.SUCCEEDED
    kept = [tr for tr in _records(deps, run_id) if tr.task_id == "numbers"][0]
    CALLS.clear()
    queued = retry_run(deps, Principal(ORG), run_id, from_tasks=["square"])
    assert queued.status is RunStatus.QUEUED and queued.result is None
    # the choice is in the store before any executor sees the run
    assert {tr.task_id: tr.status for tr in _records(deps, run_id)
            if tr.task_id != "numbers"} == {"square": S.PENDING, "total": S.PENDING}
    assert all(tr.result is None for tr in _records(deps, run_id) if tr.task_id != "numbers")
    drain(deps)
    assert stored_run(deps, run_id).status is RunStatus.SUCCEEDED
    assert sorted(CALLS) == ["square1", "square2", "total"]
    assert same([tr for tr in _records(deps, run_id) if tr.task_id == "numbers"][0], kept)


def test_from_tasks_accepts_a_task_name_and_a_leaf_task(uow_factory):
    deps, run_id = _start(uow_factory, [[3]])
    CALLS.clear()
    retry_run(deps, Principal(ORG), run_id, from_tasks=["total"])
    drain(deps)
    assert CALLS == ["total"] and stored_run(deps, run_id).result == 9


@pytest.mark.parametrize("bad", [["ghost"], ["square", "ghost"], [], [""], "square", [1]])
def test_bad_from_tasks_write_nothing(uow_factory, bad):
    deps, run_id = _start(uow_factory, [[1, 2]], fail={1})
    before, records, events = stored_run(deps, run_id), _records(deps, run_id), _pending_events(deps)
    with pytest.raises(ValidationError) as info:
        retry_run(deps, Principal(ORG), run_id, from_tasks=bad)
    if bad == ["ghost"]:
        assert "ghost" in str(info.value) and "numbers, square, total" in str(info.value)
    after = stored_run(deps, run_id)
    assert (after.status, after.version) == (before.status, before.version)
    assert all(same(a, b) for a, b in zip(_records(deps, run_id), records))
    assert _pending_events(deps) == events


def test_a_succeeded_run_needs_from_tasks_and_a_live_run_cannot_be_retried(uow_factory):
    deps, run_id = _start(uow_factory, [[1]])
    with pytest.raises(ConflictError):
        retry_run(deps, Principal(ORG), run_id)
    retry_run(deps, Principal(ORG), run_id, from_tasks=["total"])  # now QUEUED
    with pytest.raises(ConflictError):
        retry_run(deps, Principal(ORG), run_id, from_tasks=["total"])
    with pytest.raises(NotFoundError):
        retry_run(deps, Principal(ORG), "missing-run", from_tasks=["total"])
