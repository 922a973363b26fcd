"""Persisting a run's state changes: task runs in batches, lifecycle lines to the log sink."""

from __future__ import annotations

from time import monotonic
from typing import Any, Sequence

from dagy.application.ports.storage import LogLine, log_group, log_stream
from dagy.domain.json_values import stored_result
from dagy.domain.runs import Run, TaskRun


class StoreRecorder:
    """A RunRecorder writing TaskRun rows through units of work, batched.

    Changes are buffered and written every `batch_size` changes or `max_delay` seconds
    (and on flush), so a 1,000-task run costs a few dozen transactions, not thousands.
    """

    def __init__(self, deps: Any, run: Run, batch_size: int = 500, max_delay: float = 0.25):
        self.deps, self.run = deps, run
        self.batch_size, self.max_delay = batch_size, max_delay
        self.pending: dict[str, TaskRun] = {}
        self.lines: list[LogLine] = []
        self.last_flush = monotonic()
        self.group = log_group(run.flow_name)
        self.stream = log_stream(run.run_slug or run.run_id, run.flow_version, run.run_id)

    def run_changed(self, run: Run) -> None:
        self._log(f"run {run.status.value}" + (f": {run.error_message}" if run.error_message else ""))

    def task_runs_changed(self, task_runs: Sequence[TaskRun]) -> None:
        for tr in task_runs:
            self.pending[tr.task_run_id] = tr
            if tr.status.value != "PENDING" or tr.attempt:
                label = tr.task_name if tr.map_index is None else f"{tr.task_name}[{tr.map_index}]"
                suffix = f": {tr.error_message}" if tr.error_message and tr.status.value != "RUNNING" else ""
                self._log(f"task {label} {tr.status.value} (attempt {tr.attempt}){suffix}",
                          tr.task_run_id, "ERROR" if tr.status.value == "FAILED" else "INFO")
        if len(self.pending) >= self.batch_size or monotonic() - self.last_flush >= self.max_delay:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            batch = [_snapshot(tr) for tr in self.pending.values()]
            self.pending = {}
            with self.deps.uow() as uow:
                uow.task_runs.upsert_many(self.run.org_id, batch)
                uow.commit()
        if self.lines:
            lines, self.lines = self.lines, []
            self.deps.logs.write(self.run.org_id, self.group, self.stream, self.run.run_id, lines)
        self.last_flush = monotonic()

    def _log(self, message: str, task_run_id: str | None = None, level: str = "INFO") -> None:
        self.lines.append(LogLine(self.deps.clock.now(), message, level, task_run_id))


def _snapshot(tr: TaskRun) -> TaskRun:
    """A copy holding what is stored of the result (dagy.domain.json_values.stored_result),
    so later changes to the live object do not leak."""
    result, ref = stored_result(tr.result)
    return TaskRun(tr.task_run_id, tr.run_id, tr.task_id, tr.task_name, tr.status, tr.attempt,
                   tr.map_index, tr.executor, tr.started_at, tr.completed_at, tr.error_message,
                   ref or tr.output_ref, result)
