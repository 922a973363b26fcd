"""Local execution: the DAG runner on a thread pool with an in-memory recorder."""

from __future__ import annotations

from typing import Any, Mapping

from dagy.adapters.compute.threads import ThreadPoolTaskRunner
from dagy.adapters.memory.recorder import InMemoryRunRecorder
from dagy.application.plan import ExecutionPlan
from dagy.application.report import RunReport
from dagy.application.dag_runner import DagRunner
from dagy.application.run_secrets import local_secrets
from dagy.settings import default_max_workers, secret_from_environment


def run_plan(plan: ExecutionPlan, parameters: dict[str, Any], *, max_workers: int | None = None,
             task_runner: Any = None, recorder: Any = None, cancel: Any = None,
             secrets: Mapping[str, str] | None = None) -> RunReport:
    """`secrets`: what `dagy.get_secret` answers, before DAGY_SECRET_<NAME> variables."""
    owned = task_runner is None
    run_secrets = local_secrets(secrets, secret_from_environment)  # checked before any task
    runner = task_runner or ThreadPoolTaskRunner(max_workers or default_max_workers())
    try:
        return DagRunner(runner, recorder or InMemoryRunRecorder()).run(
            plan, parameters, cancel=cancel, secrets=run_secrets)
    finally:
        if owned:
            runner.close()


def run_local(flow: Any, *, secrets: Mapping[str, str] | None = None,
              return_state: bool = False, **params: Any) -> Any:
    """`flow.run_local(**params)` with secrets: `get_secret(name)` inside its tasks reads
    `secrets[name]`, else the environment variable DAGY_SECRET_<NAME>."""
    return flow.run_local(return_state=return_state, _secrets=secrets, **params)
