"""InMemoryRunRecorder: keeps runs, task runs and the ordered history of their changes.

run_local's recorder: nothing else writes its runs, so the end it is given is the end
it commits.
"""

from __future__ import annotations

from typing import Sequence

from dagy.domain.runs import Run, TaskRun


class InMemoryRunRecorder:
    def __init__(self) -> None:
        self.runs: dict[str, Run] = {}
        self.task_runs: dict[str, TaskRun] = {}
        self.history: list[tuple[str, str, int]] = []
        self.flushes = 0

    def run_changed(self, run: Run) -> None:
        self.runs[run.run_id] = run
        self.history.append((run.run_id, run.status.value, 0))

    def task_runs_changed(self, task_runs: Sequence[TaskRun]) -> None:
        store, history = self.task_runs, self.history
        for tr in task_runs:
            store[tr.task_run_id] = tr
            history.append((tr.task_run_id, tr.status.value, tr.attempt))

    def flush(self) -> None:
        self.flushes += 1

    def finish(self, run: Run) -> Run:
        """Commits trivially: no one else can have changed the run."""
        self.run_changed(run)
        return run

    def statuses(self, task_run_id: str) -> list[str]:
        """Every status the task run passed through, in order."""
        return [status for key, status, _ in self.history if key == task_run_id]
