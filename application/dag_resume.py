"""What a resumed or retried run keeps from its earlier attempt: the task runs that
succeeded (not run again, not written again) and, for a mapped task, the succeeded
items whose inputs are still the earlier attempt's. Mixed into RunExecution
(dag_loop.py), whose state these methods read and fill."""

from __future__ import annotations

from typing import Any, Mapping

from dagy.application.plan import PlannedTask
from dagy.domain.runs import TaskRun
from dagy.domain.states import TaskRunStatus

PENDING, SUCCEEDED = TaskRunStatus.PENDING, TaskRunStatus.SUCCEEDED


class KeptWork:
    """RunExecution's resume steps (its attributes: run, plan, node_runs, task_runs,
    recorder, results, reused, progress, kept_items)."""

    run: Any
    plan: Any
    node_runs: dict
    task_runs: list
    recorder: Any
    results: dict
    reused: set
    progress: Any
    kept_items: Mapping[str, Mapping[int, TaskRun]]

    def _create_task_runs(self, kept: Mapping[str, TaskRun]) -> None:
        run_id = self.run.run_id
        fresh: list[TaskRun] = []
        for tid in self.plan.order:
            task = self.plan.tasks[tid]
            if not task.mapped:
                tr = kept.get(tid)
                if tr is None or tr.status is not SUCCEEDED:
                    tr = TaskRun(f"{run_id}.{tid}", run_id, tid, task.name, executor=task.executor)
                    fresh.append(tr)
                self.node_runs[tid] = tr
                self.task_runs.append(tr)
        self.recorder.task_runs_changed(fresh)

    def _restore(self, tid: str, value: Any) -> None:
        tr = self.node_runs.get(tid)
        if tr is not None and tr.status is PENDING:
            tr.status = SUCCEEDED
        self.results[tid] = value
        self.reused.add(tid)
        self.progress.succeeded(tid)

    def _kept_items(self, task: PlannedTask, count: int) -> Mapping[int, TaskRun]:
        """The earlier attempt's succeeded items of a mapped task, to keep instead of
        running them again. Only when every upstream task's result is the earlier
        attempt's too (so item i is the same input as before) and every kept index
        is inside today's fan-out; otherwise nothing is kept and every item runs,
        since an upstream that ran again may have produced another list."""
        stored = self.kept_items.get(task.id)
        if not stored or not all(up in self.reused for up in task.upstream):
            return {}
        if any(not 0 <= i < count for i in stored):
            return {}
        return stored
