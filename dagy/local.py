"""Local execution: the DAG runner on a thread pool with an in-memory recorder."""

from __future__ import annotations

from typing import Any

from dagy.adapters.compute.threads import ThreadPoolTaskRunner
from dagy.adapters.memory.recorder import InMemoryRunRecorder
from dagy.application.plan import ExecutionPlan
from dagy.application.report import RunReport
from dagy.application.dag_runner import DagRunner
from dagy.settings import default_max_workers


def run_plan(plan: ExecutionPlan, parameters: dict[str, Any], *, max_workers: int | None = None,
             task_runner: Any = None, recorder: Any = None, cancel: Any = None) -> RunReport:
    owned = task_runner is None
    runner = task_runner or ThreadPoolTaskRunner(max_workers or default_max_workers())
    try:
        return DagRunner(runner, recorder or InMemoryRunRecorder()).run(
            plan, parameters, cancel=cancel)
    finally:
        if owned:
            runner.close()
