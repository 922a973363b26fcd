"""A task run's traceback is stored and replaced with the rest of its state, on every
adapter (see conftest): what `dagy runs show` and the API show of a failed task."""

from __future__ import annotations

from repo_builders import T0, task_run

from dagy.domain.states import TaskRunStatus

TRACE = 'Traceback (most recent call last):\n  File "f.py", line 3, in t\nValueError: x' + "é" * 9000


def test_the_traceback_round_trips_and_a_new_attempt_clears_it(uow_factory):
    failed = task_run("r1", "a", TaskRunStatus.FAILED, attempt=1, started_at=T0,
                      completed_at=T0, error_message="ValueError: x", error_traceback=TRACE)
    with uow_factory() as uow:
        uow.task_runs.upsert_many("o", [failed])
        uow.commit()
    with uow_factory() as uow:
        (got,), _ = uow.task_runs.list_for_run("o", "r1")
        assert got.error_traceback == TRACE and got.error_message == "ValueError: x"
    failed.move_to(TaskRunStatus.PENDING, T0)
    failed.move_to(TaskRunStatus.RUNNING, T0)
    assert failed.error_traceback is None  # a new attempt starts without the old one's
    with uow_factory() as uow:
        uow.task_runs.upsert_many("o", [failed])
        uow.commit()
    with uow_factory() as uow:
        (got,), _ = uow.task_runs.list_for_run("o", "r1")
        assert got.error_traceback is None and got.attempt == 2
        assert uow.task_runs.list_for_run("other", "r1")[0] == []
