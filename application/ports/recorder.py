"""Port: where state changes of runs and task runs are recorded, and who commits a run's end."""

from __future__ import annotations

from typing import Protocol, Sequence

from dagy.domain.runs import Run, TaskRun


class RunRecorder(Protocol):
    """Receives every state change of one run, in order, from the runner's thread.

    The objects passed are live: read what you need before returning (or copy).
    Implementations may buffer (and may write from a thread of their own while the run
    goes on); `flush()` must persist everything received so far.

    `finish(run)` is the run's end. The runner calls it once, with the run in its
    terminal state, instead of `run_changed`. It commits that state together with every
    task run still pending and returns the state that was actually committed: `run`
    itself, or the stored run when someone else changed it first (a cancel, a re-queue
    by the lease sweeper). The runner reports, and fires the flow's hooks, from what
    `finish` returns, so no hook ever announces an end that was not stored.
    """

    def run_changed(self, run: Run) -> None: ...

    def task_runs_changed(self, task_runs: Sequence[TaskRun]) -> None: ...

    def flush(self) -> None: ...

    def finish(self, run: Run) -> Run: ...
