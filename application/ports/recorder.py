"""Port: where state changes of runs and task runs are recorded."""

from __future__ import annotations

from typing import Protocol, Sequence

from dagy.domain.runs import Run, TaskRun


class RunRecorder(Protocol):
    """Receives every state change, in order, from the runner's thread.

    The objects passed are live: read what you need before returning (or copy).
    Implementations may buffer; `flush()` is called before the run's final state
    is reported, and must persist everything received so far.
    """

    def run_changed(self, run: Run) -> None: ...

    def task_runs_changed(self, task_runs: Sequence[TaskRun]) -> None: ...

    def flush(self) -> None: ...
