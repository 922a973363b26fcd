"""The TaskRunner contract (application/ports/task_runner.py), on every adapter.

Adapters: ThreadPoolTaskRunner and ProcessTaskRunner (fork where the platform has it).
Capability flags: `isolated` (a body's side effects stay in its own process, which is
what `supports_inline = False` promises) and `kills` (an abandoned attempt is stopped,
not left to finish unseen). Jobs meet on multiprocessing primitives, which work across
threads and forked processes alike; every wait is bounded. Process tests are few
(spawning is slow): each starts at most capacity + 1 children.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from dagy.adapters.compute.processes import ProcessTaskRunner
from dagy.adapters.compute.threads import ThreadPoolTaskRunner

WAIT = 10.0  # seconds any one wait in these tests may take at most
CTX = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                  else "spawn")


@dataclass(frozen=True)
class Adapter:
    kind: str
    make: Callable[[int], Any]
    isolated: bool
    kills: bool


ADAPTERS = {
    "threads": Adapter("threads", ThreadPoolTaskRunner, isolated=False, kills=False),
    "processes": Adapter("processes", ProcessTaskRunner, isolated=True, kills=True),
}


@pytest.fixture(params=sorted(ADAPTERS))
def adapter(request) -> Adapter:
    return ADAPTERS[request.param]


@pytest.fixture
def make_runner(adapter):
    made: list[Any] = []

    def make(capacity: int = 2) -> Any:
        runner = adapter.make(capacity)
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.close()


class FakeJob:
    """A TaskJob whose body is any callable."""

    def __init__(self, job_id: int, body: Callable[[], Any]) -> None:
        self.job_id, self.body, self.timeout_seconds = job_id, body, None

    def invoke(self) -> tuple[bool, Any]:
        try:
            return True, self.body()
        except Exception as exc:  # noqa: BLE001 - the outcome is the report
            return False, exc


class Reports:
    """A `report` callback that records (job_id, ok, value) from any thread."""

    def __init__(self) -> None:
        self.got: list[tuple[int, bool, Any]] = []
        self._changed = threading.Condition()

    def __call__(self, job: Any, ok: bool, value: Any) -> None:
        with self._changed:
            self.got.append((job.job_id, ok, value))
            self._changed.notify_all()

    def wait_for(self, count: int, timeout: float = WAIT) -> list[tuple[int, bool, Any]]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.got) >= count, timeout), \
                f"{len(self.got)} of {count} reports arrived"
            return sorted(self.got, key=lambda r: r[0])


class Gate:
    """A body that waits for `open()`: polls a file, so killing a child that waits on it
    cannot leave a shared lock held (a multiprocessing Event could)."""

    def __init__(self, path) -> None:
        self.path = path

    def open(self) -> None:
        self.path.touch()

    def wait(self) -> str:
        deadline = time.monotonic() + WAIT
        while not self.path.exists():
            if time.monotonic() > deadline:
                raise TimeoutError("the gate never opened")
            time.sleep(0.01)
        return "passed"


@pytest.fixture
def gate(tmp_path) -> Gate:
    return Gate(tmp_path / "gate")


def meet(barrier: Any) -> str:
    barrier.wait(WAIT)  # BrokenBarrierError (a failure report) if the others never come
    return "met"


def test_capacity_is_what_it_was_built_with(adapter, make_runner):
    assert make_runner(3).capacity == 3
    with pytest.raises(ValueError):
        ThreadPoolTaskRunner(0)


def test_success_and_failure_come_back_with_their_value_and_exception(make_runner):
    runner, reports = make_runner(2), Reports()
    runner.start(FakeJob(1, lambda: {"answer": 42}), reports)
    runner.start(FakeJob(2, lambda: int("not a number")), reports)
    [(_, ok1, value), (_, ok2, error)] = reports.wait_for(2)
    assert (ok1, value) == (True, {"answer": 42})
    assert ok2 is False and isinstance(error, ValueError) and "not a number" in str(error)


def test_start_does_not_block_on_the_body(make_runner, gate):
    runner, reports = make_runner(1), Reports()
    started = time.monotonic()
    runner.start(FakeJob(1, gate.wait), reports)
    assert time.monotonic() - started < WAIT / 2 and reports.got == []
    gate.open()
    assert reports.wait_for(1) == [(1, True, "passed")]


def test_jobs_run_concurrently_up_to_capacity(make_runner):
    runner, reports = make_runner(3), Reports()
    barrier = CTX.Barrier(3)
    for job_id in (1, 2, 3):
        runner.start(FakeJob(job_id, lambda: meet(barrier)), reports)
    assert reports.wait_for(3) == [(1, True, "met"), (2, True, "met"), (3, True, "met")]


def test_an_abandoned_job_is_never_reported_and_capacity_does_not_shrink(adapter,
                                                                         make_runner, gate):
    runner, reports = make_runner(2), Reports()
    runner.start(FakeJob(1, gate.wait), reports)
    runner.abandon(FakeJob(1, lambda: None))  # the runner knows a job by its id
    barrier = CTX.Barrier(2)
    runner.start(FakeJob(2, lambda: meet(barrier)), reports)
    runner.start(FakeJob(3, lambda: meet(barrier)), reports)
    assert reports.wait_for(2) == [(2, True, "met"), (3, True, "met")]
    gate.open()  # a thread runner's attempt now ends: still unseen
    time.sleep(0.2)
    assert sorted(job_id for job_id, _, _ in reports.got) == [2, 3]


def test_close_abandons_jobs_still_running(make_runner, gate):
    runner, reports = make_runner(1), Reports()
    runner.start(FakeJob(1, gate.wait), reports)
    time.sleep(0.1)
    runner.close()
    gate.open()
    time.sleep(0.3)
    assert reports.got == []


def test_supports_inline_exactly_when_the_body_shares_the_callers_memory(adapter,
                                                                         make_runner):
    """Inline (on the caller's thread) is equivalent only if no isolation is lost: the
    flag must say whether the body's effects on this process's memory are seen here."""
    runner, reports, seen = make_runner(1), Reports(), []
    runner.start(FakeJob(1, lambda: seen.append("side effect") or "done"), reports)
    assert reports.wait_for(1) == [(1, True, "done")]
    assert runner.supports_inline is (not adapter.isolated)
    assert (seen == []) is adapter.isolated


def test_an_abandoned_attempt_is_stopped_where_the_runner_can_kill(adapter, make_runner,
                                                                   gate):
    if not adapter.kills:
        pytest.skip(f"{adapter.kind}: an abandoned attempt finishes unseen (cannot be killed)")
    runner, reports, done = make_runner(1), Reports(), Gate(gate.path.with_name("done"))
    job = FakeJob(1, lambda: time.sleep(1.0) or done.open())
    runner.start(job, reports)
    time.sleep(0.2)
    runner.abandon(job)
    time.sleep(1.5)
    assert not done.path.exists() and reports.got == []
