"""The DAG runner: ready-set scheduling with retries, timeouts, skips, cancellation, hooks.

One runner serves every place a flow executes in-process (run_local, the server's
consumer, the Lambda backend, the ECS worker). The body of each task runs on a
TaskRunner port; every state change goes to a RunRecorder port.
"""

from __future__ import annotations

import random
import threading
import uuid
from datetime import datetime
from typing import Any, Callable

from dagy.application.dag_loop import RunExecution, TaskTimeoutError, utc_now
from dagy.application.plan import ExecutionPlan
from dagy.application.ports.recorder import RunRecorder
from dagy.application.ports.task_runner import TaskRunner
from dagy.application.report import RunReport
from dagy.domain.runs import Run

__all__ = ["DagRunner", "TaskTimeoutError", "utc_now"]


class DagRunner:
    """Executes an ExecutionPlan. Stateless between runs; safe to reuse."""

    def __init__(self, task_runner: TaskRunner, recorder: RunRecorder, *,
                 now: Callable[[], datetime] = utc_now,
                 unit_random: Callable[[], float] = random.random) -> None:
        self.task_runner = task_runner
        self.recorder = recorder
        self.now = now
        self.unit_random = unit_random

    def run(self, plan: ExecutionPlan, parameters: dict[str, Any], *, run: Run | None = None,
            cancel: Any = None, completed: dict[str, Any] | None = None,
            secrets: Any = None) -> RunReport:
        """Run the plan to a terminal state and return the report.

        `completed` maps task ids to results already persisted by an earlier attempt
        of this run; those tasks are not run again. `secrets`: the run's RunSecrets
        (application/run_secrets.py), or None.
        """
        run = run or Run(run_id=uuid.uuid4().hex, flow_name=plan.spec.name,
                         flow_version=plan.spec.version, parameters=dict(parameters),
                         created_at=self.now())
        execution = RunExecution(self, plan, parameters, run, cancel or threading.Event(),
                                 secrets)
        return execution.execute(completed or {})


