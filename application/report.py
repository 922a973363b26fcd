"""The outcome of a run: status, result, every task run, and the first error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dagy.domain.errors import DagyError
from dagy.domain.runs import Run, TaskRun
from dagy.domain.states import RunStatus, TaskRunStatus


class FlowRunError(DagyError):
    """A flow run did not succeed. The message names the failed task(s) and the error."""

    def __init__(self, message: str, report: "RunReport") -> None:
        super().__init__(message)
        self.report = report


@dataclass
class RunReport:
    run: Run
    result: Any = None
    task_runs: list[TaskRun] = field(default_factory=list)
    errors: dict[str, BaseException] = field(default_factory=dict)

    @property
    def status(self) -> RunStatus:
        return self.run.status

    @property
    def run_id(self) -> str:
        return self.run.run_id

    @property
    def failed_task_runs(self) -> list[TaskRun]:
        return [tr for tr in self.task_runs if tr.status is TaskRunStatus.FAILED]

    @property
    def error(self) -> BaseException | None:
        failed = self.failed_task_runs
        return self.errors.get(failed[0].task_run_id) if failed else None

    def task_run(self, task_id: str) -> TaskRun:
        for tr in self.task_runs:
            if tr.task_id == task_id and tr.map_index is None:
                return tr
        raise KeyError(task_id)

    def raise_for_status(self) -> Any:
        """Return the result, or raise FlowRunError naming what failed."""
        if self.status is RunStatus.SUCCEEDED:
            return self.result
        raise FlowRunError(self.describe_failure(), self)

    def describe_failure(self) -> str:
        flow = self.run.flow_name
        if self.status is RunStatus.CANCELLED:
            return f"flow {flow!r} run {self.run_id} was cancelled"
        failed = self.failed_task_runs
        if not failed:
            return f"flow {flow!r} failed: {self.run.error_message or 'unknown error'}"
        first = failed[0]
        where = first.task_name if first.map_index is None else f"{first.task_name}[{first.map_index}]"
        more = f" (and {len(failed) - 1} more failed task runs)" if len(failed) > 1 else ""
        return f"flow {flow!r} failed: task {where!r} failed: {first.error_message}{more}"
