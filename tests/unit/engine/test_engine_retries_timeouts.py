"""Retries (fixed, list, callable, jitter) and timeouts that do not wait for the body."""

from __future__ import annotations

import os
import time

import pytest

from dagy.adapters.compute.processes import ProcessTaskRunner
from dagy.adapters.compute.threads import ThreadPoolTaskRunner
from dagy.adapters.memory.recorder import InMemoryRunRecorder
from dagy.application.dag_runner import DagRunner
from dagy import FlowRunError, RunContext, flow, task
from dagy.domain.states import RunStatus, TaskRunStatus


def flaky(fail_times: int, **options):
    calls = []

    @task(**options)
    def unreliable():
        calls.append(RunContext.current().attempt)
        if len(calls) <= fail_times:
            raise ValueError(f"attempt {len(calls)} failed")
        return "ok"
    return unreliable, calls


def test_retries_until_success_and_attempt_is_one_based():
    unreliable, calls = flaky(2, retries=2)

    @flow
    def f():
        return unreliable()
    report = f.run_local(return_state=True)
    assert report.result == "ok"
    assert calls == [1, 2, 3]
    assert report.task_runs[0].attempt == 3
    assert report.task_runs[0].status is TaskRunStatus.SUCCEEDED


def test_retries_exhausted_fail_with_last_error():
    unreliable, calls = flaky(5, retries=1)

    @flow
    def f():
        return unreliable()
    with pytest.raises(FlowRunError, match=r"unreliable.*ValueError: attempt 2 failed"):
        f.run_local()
    assert calls == [1, 2]


def test_recorder_sees_pending_running_pending_running_succeeded():
    unreliable, _ = flaky(1, retries=1)

    @flow
    def f():
        return unreliable()
    recorder = InMemoryRunRecorder()
    with ThreadPoolTaskRunner(2) as pool:
        report = DagRunner(pool, recorder).run(f.plan, {})
    tr_id = report.task_runs[0].task_run_id
    assert recorder.statuses(tr_id) == ["PENDING", "RUNNING", "PENDING", "RUNNING", "SUCCEEDED"]
    assert recorder.runs[report.run_id].status is RunStatus.SUCCEEDED


@pytest.mark.parametrize("delay, expected", [
    (0.15, [0.15, 0.15]),
    ([0.05, 0.2], [0.05, 0.2]),
    (lambda attempt: 0.1 * attempt, [0.1, 0.2]),
])
def test_retry_delays_are_waited(delay, expected):
    stamps = []

    @task(retries=2, retry_delay_seconds=delay)
    def always_fails():
        stamps.append(time.monotonic())
        raise RuntimeError("no")

    @flow
    def f():
        return always_fails()
    f.run_local(return_state=True)
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert len(gaps) == 2
    for gap, want in zip(gaps, expected):
        assert want - 0.01 <= gap < want + 0.5


def test_jitter_uses_the_runner_random_source():
    stamps = []

    @task(retries=1, retry_delay_seconds=0.2, retry_jitter_factor=1.0)
    def fails_once():
        stamps.append(time.monotonic())
        if len(stamps) == 1:
            raise RuntimeError("first")
        return 1

    @flow
    def f():
        return fails_once()
    with ThreadPoolTaskRunner(2) as pool:  # unit random 0 -> the low end: 0.2 * (1 - 1.0) = 0
        DagRunner(pool, InMemoryRunRecorder(), unit_random=lambda: 0.0).run(f.plan, {})
    assert stamps[1] - stamps[0] < 0.15


def test_timeout_fails_at_once_and_independent_branch_finishes():
    @task(timeout_seconds=0.3)
    def slow():
        time.sleep(3)
        return "late"

    @task
    def after(x):
        return x

    @task
    def independent():
        return "done"

    @flow
    def f():
        return {"a": after(slow()), "b": independent()}
    start = time.monotonic()
    report = f.run_local(return_state=True)
    elapsed = time.monotonic() - start
    assert elapsed < 2.0, "the run waited for the timed-out body"
    by_id = {tr.task_id: tr for tr in report.task_runs}
    assert by_id["slow"].status is TaskRunStatus.FAILED
    assert "timed out after 0.3 s" in by_id["slow"].error_message
    assert by_id["after"].status is TaskRunStatus.SKIPPED
    assert by_id["independent"].status is TaskRunStatus.SUCCEEDED
    assert report.status is RunStatus.FAILED


def test_timeout_is_retried_and_pool_keeps_capacity():
    attempts = []

    @task(timeout_seconds=0.2, retries=1)
    def hangs_first():
        attempts.append(1)
        if len(attempts) == 1:
            time.sleep(2)
        return "second try"

    @flow(max_workers=1)
    def f():
        return hangs_first()
    assert f.run_local() == "second try"


def test_process_runner_kills_the_timed_out_body(tmp_path):
    marker = tmp_path / "pid"

    @task(timeout_seconds=0.5)
    def spin():
        marker.write_text(str(os.getpid()))
        while True:
            pass

    @flow(task_runner=ProcessTaskRunner(max_workers=2))
    def f():
        return spin()
    report = f.run_local(return_state=True)
    assert report.status is RunStatus.FAILED
    pid = int(marker.read_text())
    assert pid != os.getpid()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the task process was left running")


def test_process_runner_returns_results_and_errors():
    @task
    def square(x):
        return x * x

    @task
    def boom(_):
        raise KeyError("missing")

    @flow(task_runner=ProcessTaskRunner(max_workers=2))
    def f():
        sq = square.map([1, 2, 3])
        return boom(sq)
    report = f.run_local(return_state=True)
    statuses = {(tr.task_id, tr.map_index): tr.status for tr in report.task_runs}
    assert statuses[("square", 2)] is TaskRunStatus.SUCCEEDED
    assert statuses[("boom", None)] is TaskRunStatus.FAILED
    assert "KeyError" in report.describe_failure()
