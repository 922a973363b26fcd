"""A failed task run keeps its traceback (the raising frame last); a retried task that
then succeeds keeps none; a long traceback keeps its end."""

from __future__ import annotations

from dagy import flow, task
from dagy.application.jobs import TRACEBACK_CHARS, traceback_text
from dagy.domain.states import TaskRunStatus


def _deep(n: int) -> None:
    if n == 0:
        raise KeyError("deep down")
    _deep(n - 1)


@task
def explode() -> int:
    _deep(3)
    return 1


@task
def after(x: int) -> int:
    return x


@flow(name="tb")
def tb_flow() -> int:
    return after(explode())


def test_a_failed_task_run_holds_its_traceback_and_the_skipped_one_none():
    report = tb_flow.run_local(return_state=True)
    by_task = {tr.task_id: tr for tr in report.task_runs}
    failed, skipped = by_task["explode"], by_task["after"]
    assert failed.status is TaskRunStatus.FAILED
    assert failed.error_traceback.startswith("Traceback (most recent call last)")
    assert "in explode" in failed.error_traceback and "_deep(3)" in failed.error_traceback
    assert failed.error_traceback.rstrip().endswith("KeyError: 'deep down'")
    assert skipped.error_traceback is None


def test_a_task_that_succeeds_on_retry_keeps_no_traceback():
    calls = []

    @task(retries=1)
    def once_bad() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("first attempt")
        return 2

    @flow(name="retry_tb")
    def retry_flow() -> int:
        return once_bad()

    report = retry_flow.run_local(return_state=True)
    (tr,) = report.task_runs
    assert tr.status is TaskRunStatus.SUCCEEDED and tr.attempt == 2
    assert tr.error_traceback is None


def test_a_long_traceback_keeps_its_end():
    try:
        raise ValueError("x" * (3 * TRACEBACK_CHARS) + " the end")
    except ValueError as exc:
        text = traceback_text(exc)
    assert text.startswith("... (cut)\n") and text.endswith(" the end")
    assert len(text) == len("... (cut)\n") + TRACEBACK_CHARS
