"""Wire models of runs, task runs and log lines, built from the entities (`from_entity`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from dagy.application.use_cases.run_clear import MAX_FROM_TASKS
from dagy.domain.runs import TriggerSource
from dagy.domain.states import RunStatus, TaskRunStatus
from dagy.entrypoints.api.schemas_common import (TIME_DESCRIPTION, EntityView, Page, Timestamp,
                                                 WireTime)

#: `GET /runs?status=`: a run status, in either case.
RunStatusFilter = Literal[tuple(name for s in RunStatus for name in (s.value, s.value.lower()))]  # type: ignore[valid-type]


class RetryRunBody(BaseModel):
    """`POST /runs/{id}/retry`'s optional body (Airflow's "clear")."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"from_tasks": ["transform"]}]})

    from_tasks: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]],
                          Field(min_length=1, max_length=MAX_FROM_TASKS, description=(
                              "Task ids (as in the flow spec and `dagy runs show`) or task "
                              "names to run again with everything downstream of them"))]


class RunView(EntityView):
    run_id: str
    run_slug: str | None
    flow_name: str
    flow_version: str
    deployment_name: str | None
    status: RunStatus
    parameters: dict[str, Any]
    executor: str | None
    external_id: str | None
    created_at: Timestamp
    started_at: Timestamp
    completed_at: Timestamp
    error_message: str | None
    runtime_tier: str | None
    trigger_source: TriggerSource | None = Field(description=(
        "why the run exists: manual (a person), api (an API key or an event), schedule, "
        "sensor, backfill; null for runs made before it was recorded"))
    result: Any = Field(description="the flow's return value once SUCCEEDED, else null")


class RunTriggered(RunView):
    created: bool = Field(description="false when the idempotency key named an earlier run")


class TaskRunView(EntityView):
    task_run_id: str
    run_id: str
    task_id: str
    task_name: str
    status: TaskRunStatus
    attempt: int
    map_index: int | None
    executor: str | None
    started_at: Timestamp
    completed_at: Timestamp
    error_message: str | None
    output_ref: str | None
    error_traceback: str | None = Field(
        None, description="the last failed attempt's traceback (its last 8,000 characters)")


class LogLineView(EntityView):
    timestamp: WireTime = Field(description=TIME_DESCRIPTION)
    level: str
    message: str
    task_run_id: str | None


class RunPage(Page[RunView]):
    pass


class TaskRunPage(Page[TaskRunView]):
    pass


class LogPage(Page[LogLineView]):
    """An empty page with a null next_cursor means "nothing more yet"."""
