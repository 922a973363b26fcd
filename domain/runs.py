"""Run and TaskRun entities: identity, timestamps, and guarded state changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from dagy.domain.states import RunStatus, TaskRunStatus, check_run_transition, _TASK_RUN_TABLE
from dagy.domain.errors import IllegalTransition


@dataclass(slots=True, eq=False)
class TaskRun:
    """One task (or one item of a mapped task) inside a run."""

    task_run_id: str
    run_id: str
    task_id: str
    task_name: str
    status: TaskRunStatus = TaskRunStatus.PENDING
    attempt: int = 0
    map_index: int | None = None
    executor: str | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    error_message: str | None = None
    output_ref: str | None = None
    result: Any = field(default=None, repr=False)
    # the failed attempt's traceback (its end, the raising frame, kept when long)
    error_traceback: str | None = field(default=None, repr=False)

    def move_to(self, new: TaskRunStatus, at: datetime) -> None:
        """Change status if a rule allows it; stamp the times that change implies."""
        if new.__class__ is not TaskRunStatus:
            new = _parse(TaskRunStatus, new)
        if (self.status, new) not in _TASK_RUN_TABLE:
            raise IllegalTransition(f"task run {self.task_id} cannot go from {self.status} to {new}")
        self.status = new
        if new is TaskRunStatus.RUNNING:
            self.attempt += 1
            self.started_at = at
            self.completed_at = None
            self.error_message = None
            self.error_traceback = None
        elif new is TaskRunStatus.PENDING:
            self.completed_at = None
        else:
            self.completed_at = at

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.completed_at is None:
            return None
        return (self.completed_at - self.started_at).total_seconds()


class TriggerSource(str, Enum):
    """Why a run exists, as the runs table shows it: a person asked (`manual`), a program
    with an API key or another flow's event asked (`api`), a schedule's slot or its
    "run now" (`schedule`), a sensor fired (`sensor`), a backfill over past slots."""

    MANUAL = "manual"
    API = "api"
    SCHEDULE = "schedule"
    SENSOR = "sensor"
    BACKFILL = "backfill"

    def __str__(self) -> str:
        return self.value


@dataclass(slots=True, eq=False)
class Run:
    """One execution of a flow."""

    run_id: str
    flow_name: str
    flow_version: str = "latest"
    status: RunStatus = RunStatus.QUEUED
    parameters: dict[str, Any] = field(default_factory=dict)
    deployment_name: str | None = None
    run_slug: str | None = None
    executor: str | None = None
    external_id: str | None = None
    created_at: datetime | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    error_message: str | None = None
    org_id: str = "local"
    idempotency_key: str | None = None
    runtime_tier: str | None = None
    result: Any = None
    version: int = 0
    lease_expires_at: datetime | None = None
    lease_owner: str | None = None  # who holds the lease: a server's instance id, or None
    trigger_source: TriggerSource | None = None  # None for runs made before it was recorded

    def move_to(self, new: RunStatus, at: datetime) -> str:
        if new.__class__ is not RunStatus:
            new = _parse(RunStatus, new)
        rule = check_run_transition(self.status, new)
        self.status = new
        if new is RunStatus.RUNNING:
            self.started_at = at
        elif new is RunStatus.QUEUED:
            self.started_at = self.completed_at = None
        else:
            self.completed_at = at
        return rule


def _parse(kind: type, value: object):
    try:
        return kind(value)
    except ValueError:
        names = ", ".join(member.value for member in kind)
        raise IllegalTransition(f"unknown status {value!r}; expected one of {names}") from None
