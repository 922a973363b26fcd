"""Concurrency of independent tasks, cancellation between tasks, resuming a run."""

from __future__ import annotations

import threading
import time

from dagy.adapters.compute.threads import ThreadPoolTaskRunner
from dagy.adapters.memory.recorder import InMemoryRunRecorder
from dagy.application.dag_runner import DagRunner
from dagy import RunContext, flow, task
from dagy.domain.states import RunStatus, TaskRunStatus


def test_independent_tasks_run_concurrently():
    barrier = threading.Barrier(3, timeout=5)

    @task
    def meet(i):
        barrier.wait()  # raises BrokenBarrierError unless all three run at once
        return i

    @flow(max_workers=3)
    def f():
        return [meet(i) for i in range(3)]
    assert f.run_local() == [0, 1, 2]


def test_max_workers_bounds_concurrency():
    running, peak, lock = [0], [0], threading.Lock()

    @task
    def work(i):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        return i

    @flow(max_workers=2)
    def f():
        return work.map(list(range(8)))
    assert f.run_local() == list(range(8))
    assert peak[0] == 2


def test_a_task_can_cancel_its_run_between_tasks():
    ran = []

    @task
    def first():
        ran.append("first")
        RunContext.current().cancel_run()
        return 1

    @task
    def second(x):
        ran.append("second")
        return x

    @flow
    def f():
        return second(first())
    report = f.run_local(return_state=True)
    assert ran == ["first"]
    assert report.status is RunStatus.CANCELLED
    by_id = {tr.task_id: tr.status for tr in report.task_runs}
    assert by_id == {"first": TaskRunStatus.SUCCEEDED, "second": TaskRunStatus.SKIPPED}


def test_external_cancel_lets_running_task_finish_and_starts_nothing_new():
    started = threading.Event()
    release = threading.Event()
    ran = []

    @task(timeout_seconds=10)
    def long_one():
        started.set()
        release.wait(5)
        ran.append("long")
        return 1

    @task
    def later(x):
        ran.append("later")

    @task
    def mapped(i):
        ran.append(f"m{i}")

    @flow
    def f():
        x = long_one()
        later(x)
        return mapped.map([1, 2], wait_for=[x])
    cancel = threading.Event()

    def canceller():
        started.wait(5)
        cancel.set()
        time.sleep(0.1)
        release.set()
    threading.Thread(target=canceller, daemon=True).start()
    with ThreadPoolTaskRunner(4) as pool:
        report = DagRunner(pool, InMemoryRunRecorder()).run(f.plan, {}, cancel=cancel)
    assert ran == ["long"]
    assert report.status is RunStatus.CANCELLED
    statuses = sorted((tr.task_id, tr.status.value) for tr in report.task_runs)
    assert statuses == [("later", "SKIPPED"), ("long_one", "SUCCEEDED"), ("mapped", "SKIPPED")]


def test_resume_does_not_rerun_persisted_tasks():
    ran = []

    @task
    def a():
        ran.append("a")
        return 2

    @task
    def b(x):
        ran.append("b")
        return x * 10

    @flow
    def f():
        return b(a())
    with ThreadPoolTaskRunner(2) as pool:
        report = DagRunner(pool, InMemoryRunRecorder()).run(f.plan, {}, completed={"a": 4})
    assert ran == ["b"]
    assert report.result == 40
    assert report.status is RunStatus.SUCCEEDED
