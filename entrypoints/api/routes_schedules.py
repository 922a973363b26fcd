"""Schedules: cron / interval / one-time / manual triggers of a deployment, with previews."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from dagy.application.use_cases import schedule_slots, schedules
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep
from dagy.entrypoints.api.pagination import DEFAULT_LIMIT, Cursor, Limit, cursor_errors, paged
from dagy.entrypoints.api.schemas_common import Integer, PlainName, errors
from dagy.entrypoints.api.schemas_schedule_slots import ScheduleDetail
from dagy.entrypoints.api.schemas_schedules import (SchedulePage, SchedulePreview, ScheduleView,
                                                    SlotView, TimezoneName)
from dagy.entrypoints.api.query_times import QueryTime
from dagy.entrypoints.api.schemas_runs import RunView

router = APIRouter(tags=["schedules"])


class DstPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    nonexistent: Literal["shift", "skip"] = "shift"
    ambiguous: Literal["once", "twice"] = "once"


class ScheduleChanges(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["cron", "interval", "one_time", "manual"] = None  # type: ignore[assignment]
    cron_expression: Annotated[str, Field(max_length=200)] | None = None
    interval_seconds: Annotated[Integer, Field(ge=1, le=10 * 365 * 86400)] | None = None
    timezone: TimezoneName = None  # type: ignore[assignment]
    start_at: datetime | None = None
    end_at: datetime | None = None
    parameters: dict[str, Any] | None = None
    enabled: Annotated[bool, Field(strict=True)] = None  # type: ignore[assignment]
    catchup_policy: Literal["none", "all"] = None  # type: ignore[assignment]
    max_catchup_runs: Annotated[Integer, Field(ge=1, le=10_000)] = None  # type: ignore[assignment]
    dst_policy: DstPolicy | None = None

    def changes(self) -> dict[str, Any]:
        data = self.model_dump(exclude_unset=True)
        return {k: v for k, v in data.items()
                if v is not None or k in ("start_at", "end_at", "cron_expression",
                                          "interval_seconds", "parameters")}


class ScheduleBody(ScheduleChanges):
    deployment_name: PlainName
    mode: Literal["cron", "interval", "one_time", "manual"] = "cron"


@router.post("/schedules", status_code=201, response_model=ScheduleView, responses=errors(404))
def create_schedule(body: ScheduleBody, deps: DepsDep, principal: PrincipalDep) -> ScheduleView:
    data = {"deployment_name": body.deployment_name, "mode": body.mode, **body.changes()}
    return ScheduleView.from_entity(schedules.create_schedule(deps, principal, data))


@router.get("/schedules", response_model=SchedulePage, responses=errors())
def list_schedules(deps: DepsDep, principal: PrincipalDep,
                   deployment_name: Annotated[str | None, Query(max_length=200)] = None,
                   enabled: bool | None = None, limit: Limit = DEFAULT_LIMIT,
                   cursor: Cursor = None) -> dict[str, Any]:
    with cursor_errors(cursor):
        result = schedules.list_schedules(deps, principal, deployment_name=deployment_name,
                                          enabled=enabled, limit=limit, cursor=cursor)
    return paged(result, ScheduleView.from_entity)


@router.get("/schedules/{schedule_id}", response_model=ScheduleDetail, responses=errors(404))
def get_schedule(schedule_id: str, deps: DepsDep, principal: PrincipalDep) -> ScheduleDetail:
    """The schedule, with how many of its recent slots were refused and the newest reason
    (every slot: GET /schedules/{id}/slots)."""
    return ScheduleDetail.from_health(schedule_slots.schedule_health(deps, principal,
                                                                     schedule_id))


@router.patch("/schedules/{schedule_id}", response_model=ScheduleView, responses=errors(404))
def patch_schedule(schedule_id: str, body: ScheduleChanges, deps: DepsDep,
                   principal: PrincipalDep) -> ScheduleView:
    return ScheduleView.from_entity(
        schedules.patch_schedule(deps, principal, schedule_id, body.changes()))


@router.delete("/schedules/{schedule_id}", status_code=204, responses=errors(404))
def delete_schedule(schedule_id: str, deps: DepsDep, principal: PrincipalDep) -> Response:
    schedules.delete_schedule(deps, principal, schedule_id)
    return Response(status_code=204)


@router.post("/schedules/{schedule_id}/enable", response_model=ScheduleView,
             responses=errors(404))
def enable(schedule_id: str, deps: DepsDep, principal: PrincipalDep) -> ScheduleView:
    return ScheduleView.from_entity(schedules.set_enabled(deps, principal, schedule_id, True))


@router.post("/schedules/{schedule_id}/disable", response_model=ScheduleView,
             responses=errors(404))
def disable(schedule_id: str, deps: DepsDep, principal: PrincipalDep) -> ScheduleView:
    return ScheduleView.from_entity(schedules.set_enabled(deps, principal, schedule_id, False))


@router.get("/schedules/{schedule_id}/preview", response_model=SchedulePreview,
            responses=errors(404))

def preview(schedule_id: str, deps: DepsDep, principal: PrincipalDep,
            count: Annotated[int, Query(ge=1, le=1000)] = 10,
            after: QueryTime | None = None) -> SchedulePreview:
    slots = schedules.preview(deps, principal, schedule_id, count, after)
    return SchedulePreview.model_construct(items=[SlotView.from_slot(slot) for slot in slots])


@router.post("/schedules/{schedule_id}/run", status_code=201, response_model=RunView,
             responses=errors(404, 409))
def run_now(schedule_id: str, deps: DepsDep, principal: PrincipalDep) -> RunView:
    """One run now with the schedule's parameters (outside its slots)."""
    return RunView.from_entity(schedules.run_now(deps, principal, schedule_id))
