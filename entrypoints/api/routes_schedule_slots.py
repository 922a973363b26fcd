"""A schedule's recent slots: which ran (and how that run is doing), which were refused
and why. The tick records them (application/use_cases/scheduler.py)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter

from dagy.application.use_cases import schedule_slots
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep
from dagy.entrypoints.api.pagination import DEFAULT_LIMIT, Cursor, Limit, cursor_errors, paged
from dagy.entrypoints.api.schemas_common import errors
from dagy.entrypoints.api.schemas_schedule_slots import ScheduleSlotPage, ScheduleSlotView

router = APIRouter(tags=["schedules"])


@router.get("/schedules/{schedule_id}/slots", response_model=ScheduleSlotPage,
            responses=errors(404))
def list_slots(schedule_id: str, deps: DepsDep, principal: PrincipalDep,
               status: Literal["triggered", "refused"] | None = None,
               limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> dict[str, Any]:
    """Recorded slots, newest first: the schedule keeps its newest 100."""
    with cursor_errors(cursor):
        result = schedule_slots.list_slots(deps, principal, schedule_id, status=status,
                                           limit=limit, cursor=cursor)
    return paged(result, ScheduleSlotView.from_outcome)
