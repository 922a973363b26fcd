"""Entity builders and helpers shared by the repository contract tests."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from dagy.domain.catalog import Deployment, FlowRecord
from dagy.domain.flowspec import FlowSpec
from dagy.domain.runs import Run, TaskRun
from dagy.domain.schedules.model import Schedule, Sensor
from dagy.domain.states import RunStatus, TaskRunStatus

T0 = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=timezone.utc)


def uid(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def flow(org_id: str, name: str, version: str = "1", *, namespace: str = "default",
         tags: dict[str, str] | None = None) -> FlowRecord:
    return FlowRecord(org_id, name, version, FlowSpec(name, version=version),
                      f"file:///a/{name}/{version}",
                      "c0ffee", namespace, tags or {}, "threads", "ACTIVE", T0, T0)


def deployment(org_id: str, name: str, flow_name: str = "etl") -> Deployment:
    return Deployment(org_id, name, flow_name, "1", schedule="*/5 * * * *",
                      default_executor="processes", default_runtime_tier="small",
                      tags={"team": "data"}, parameters={"n": 3, "xs": [1, 2]},
                      created_at=T0, updated_at=T0)


def run(org_id: str, run_id: str | None = None, **fields: Any) -> Run:
    values: dict[str, Any] = dict(flow_name="etl", flow_version="1", parameters={"n": 1},
                                  deployment_name="nightly", created_at=T0)
    values.update(fields)
    return Run(run_id or uid("run_"), org_id=org_id, **values)


def task_run(run_id: str, task_id: str, status: TaskRunStatus = TaskRunStatus.PENDING,
             **fields: Any) -> TaskRun:
    map_index = fields.pop("map_index", None)
    suffix = f"[{map_index}]" if map_index is not None else ""
    return TaskRun(f"{run_id}.{task_id}{suffix}", run_id, task_id, task_id, status,
                   map_index=map_index, **fields)


def same(a: Any, b: Any) -> bool:
    """Field-by-field equality (Run and TaskRun compare by identity)."""
    return all(getattr(a, f.name) == getattr(b, f.name) for f in dataclasses.fields(a))


def add_committed(uow_factory, repo: str, *items: Any) -> None:
    with uow_factory() as uow:
        for item in items:
            getattr(uow, repo).add(item)
        uow.commit()


def running(org_id: str, lease_seconds: float | None, **fields: Any) -> Run:
    lease = at(lease_seconds) if lease_seconds is not None else None
    return run(org_id, status=RunStatus.RUNNING, started_at=T0, lease_expires_at=lease,
               version=1, **fields)


def all_pages(list_page, limit: int) -> list[Any]:
    """Follow cursors to the end; fail on a loop."""
    items, cursor, seen = [], None, set()
    while True:
        page, cursor = list_page(limit=limit, cursor=cursor)
        assert len(page) <= limit
        items += page
        if cursor is None:
            return items
        assert page and cursor not in seen, "a non-final page must be non-empty and advance"
        seen.add(cursor)


def schedule(org_id: str, schedule_id: str | None = None, **fields: Any) -> Schedule:
    values: dict[str, Any] = dict(deployment_name="nightly", flow_name="etl",
                                  cron_expression="*/5 * * * *", parameters={"n": 1},
                                  created_at=T0, updated_at=T0)
    values.update(fields)
    return Schedule(schedule_id or uid("sch_"), org_id, **values)


def sensor(org_id: str, sensor_id: str | None = None, sensor_type: str = "webhook",
           **fields: Any) -> Sensor:
    values: dict[str, Any] = dict(name="on-push", deployment_name="nightly", flow_name="etl",
                                  flow_params={"n": 1}, created_at=T0, updated_at=T0)
    values.update(fields)
    return Sensor(sensor_id or uid("sen_"), org_id, sensor_type=sensor_type, **values)
