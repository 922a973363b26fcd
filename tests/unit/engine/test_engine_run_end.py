"""The runner reports, and fires the flow's hooks, from the state its recorder committed."""

from __future__ import annotations

import dataclasses

import pytest

from dagy import Hook, flow, task
from dagy.adapters.compute.threads import ThreadPoolTaskRunner
from dagy.adapters.memory.recorder import InMemoryRunRecorder
from dagy.application.dag_runner import DagRunner
from dagy.application.report import FlowRunError
from dagy.domain.states import RunStatus


class Announce(Hook):
    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def on_completion(self, context, state):
        self.events.append(("completion", state.result))

    def on_failure(self, context, state):
        self.events.append(("failure", state.message))


class OverruledRecorder(InMemoryRunRecorder):
    """A store where someone else committed `winner` first: finish reports that state."""

    def __init__(self, winner: RunStatus) -> None:
        super().__init__()
        self.winner, self.offered = winner, []

    def finish(self, run):
        self.offered.append(run.status)
        return dataclasses.replace(run, status=self.winner, result=None)


@task
def double(n: int) -> int:
    return n * 2


@task
def explode(n: int) -> int:
    raise ValueError(f"bad {n}")


def _run(fn, recorder):
    hook = Announce()
    spec = flow(name="ends", hooks=[hook])(fn)
    with ThreadPoolTaskRunner(2) as pool:
        return DagRunner(pool, recorder).run(spec.plan, {"n": 2}), hook


def test_a_success_overruled_by_a_cancel_is_reported_cancelled_and_not_announced():
    recorder = OverruledRecorder(RunStatus.CANCELLED)
    report, hook = _run(lambda n=2: double(n), recorder)
    assert recorder.offered == [RunStatus.SUCCEEDED]
    assert report.status is RunStatus.CANCELLED and report.result is None
    assert hook.events == []
    with pytest.raises(FlowRunError, match="cancelled"):
        report.raise_for_status()


def test_a_failure_overruled_by_a_cancel_fires_no_failure_hook():
    report, hook = _run(lambda n=2: explode(n), OverruledRecorder(RunStatus.CANCELLED))
    assert report.status is RunStatus.CANCELLED and hook.events == []


def test_an_end_that_is_committed_as_offered_is_announced_once():
    recorder = InMemoryRunRecorder()
    report, hook = _run(lambda n=2: double(n), recorder)
    assert report.status is RunStatus.SUCCEEDED and report.result == 4
    assert hook.events == [("completion", 4)]
    assert [s for key, s, _ in recorder.history if key == report.run_id] == ["RUNNING",
                                                                               "SUCCEEDED"]
    failed, hook = _run(lambda n=2: explode(n), InMemoryRunRecorder())
    assert failed.status is RunStatus.FAILED
    assert hook.events == [("failure", failed.describe_failure())]
