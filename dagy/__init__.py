"""Dagy SDK: `@flow` / `@task` Python, traced into a FlowSpec, run locally or deployed.

Kept light on purpose: deploy, client and artifact helpers load on first use.
"""

from __future__ import annotations

from typing import Any

from dagy.application.context import RunContext
from dagy.application.hooks import Hook, State, completed, failed, running
from dagy.application.report import FlowRunError, RunReport
from dagy.flow import Flow, flow
from dagy.run_logger import get_run_logger
from dagy.secrets import SecretNotFound, get_secret
from dagy.task import Task, task
from dagy.tracing import TaskOutput
from dagy.domain.errors import DagyError, ParameterError, SpecError, TracingError
from dagy.domain.flowspec import FlowSpec

__version__ = "0.1.0"

_LAZY = {
    "build_artifact": "dagy.artifacts",
    "LocalArtifact": "dagy.artifacts",
    "deploy_artifact": "dagy.deploy",
    "DagyClient": "dagy.client",
    "Deployment": "dagy.models",
    "Executor": "dagy.models",
    "Run": "dagy.models",
    "DeployResult": "dagy.models",
    "run_local": "dagy.local",
    "ThreadPoolTaskRunner": "dagy.adapters.compute.threads",
    "ProcessTaskRunner": "dagy.adapters.compute.processes",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dagy' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "get_run_logger", "get_secret", "SecretNotFound", "run_local",
    "flow", "task", "Flow", "Task", "FlowSpec", "TaskOutput", "RunContext", "Hook", "State",
    "running", "completed", "failed", "DagyClient", "build_artifact", "deploy_artifact",
    "LocalArtifact", "Deployment", "Executor", "Run", "RunReport", "FlowRunError", "DagyError",
    "ParameterError", "SpecError", "TracingError", "ThreadPoolTaskRunner", "ProcessTaskRunner",
]
