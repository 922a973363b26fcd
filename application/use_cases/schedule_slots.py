"""A schedule's recent slots as users read them: what ran, what was refused and why.

The tick records each slot it handles (scheduler.py); these reads add what the record
alone cannot say: the current status of a triggered slot's run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.domain.errors import NotFoundError, ValidationError
from dagy.domain.schedules.model import Schedule
from dagy.domain.schedules.slots import SLOT_STATUSES, ScheduleSlot


@dataclass
class SlotOutcome:
    """A recorded slot, with its run's status now (None if refused or the run is gone)."""

    slot: ScheduleSlot
    run_status: str | None = None


@dataclass
class ScheduleHealth:
    """A schedule with how many of its recorded slots were refused, and the newest one."""

    schedule: Schedule
    refused_count: int
    last_refused: ScheduleSlot | None


def list_slots(deps: Deps, principal: Principal, schedule_id: str, *,
               status: str | None = None, limit: int = 50,
               cursor: str | None = None) -> tuple[list[SlotOutcome], str | None]:
    """The schedule's recorded slots, newest first (NotFoundError if the org has no such
    schedule)."""
    if status is not None and status not in SLOT_STATUSES:
        raise ValidationError(f"status must be one of {', '.join(SLOT_STATUSES)}")
    with deps.uow() as uow:
        _schedule(uow, principal, schedule_id)
        slots, next_cursor = uow.schedules.slots(principal.org_id, schedule_id, status=status,
                                                 limit=limit, cursor=cursor)
        return [SlotOutcome(slot, _run_status(uow, principal, slot)) for slot in slots], \
            next_cursor


def schedule_health(deps: Deps, principal: Principal, schedule_id: str) -> ScheduleHealth:
    """The schedule and its refusals, read in one unit of work."""
    with deps.uow() as uow:
        schedule = _schedule(uow, principal, schedule_id)
        count, last = uow.schedules.refused_summary(principal.org_id, schedule_id)
    return ScheduleHealth(schedule, count, last)


def _schedule(uow: Any, principal: Principal, schedule_id: str) -> Schedule:
    schedule = uow.schedules.get(principal.org_id, schedule_id)
    if schedule is None:
        raise NotFoundError(f"schedule {schedule_id!r} not found")
    return schedule


def _run_status(uow: Any, principal: Principal, slot: ScheduleSlot) -> str | None:
    if slot.run_id is None:
        return None
    run = uow.runs.get(principal.org_id, slot.run_id)
    return run.status.value if run is not None else None
