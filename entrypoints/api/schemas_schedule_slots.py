"""Wire models of a schedule's recorded slots and of a schedule read with its refusals."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from dagy.entrypoints.api.schemas_common import TIME_DESCRIPTION, EntityView, Page, WireTime
from dagy.entrypoints.api.schemas_schedules import ScheduleView


class ScheduleSlotView(EntityView):
    epoch: int = Field(description="the slot's time in epoch seconds (its run's idempotency "
                                   "key is schedule:<schedule_id>:<epoch>)")
    scheduled_for: WireTime = Field(description="the slot's time: " + TIME_DESCRIPTION)
    status: Literal["triggered", "refused"]
    reason: str | None = Field(description="why the slot could not be triggered (refused)")
    run_id: str | None = Field(description="the slot's run (triggered)")
    run_status: str | None = Field(description="that run's status now; null if refused or "
                                               "the run no longer exists")
    recorded_at: WireTime = Field(description="when the tick handled it: " + TIME_DESCRIPTION)

    @classmethod
    def from_outcome(cls, outcome: Any) -> "ScheduleSlotView":
        return cls.from_entity(outcome.slot, run_status=outcome.run_status)

    @classmethod
    def from_slot(cls, slot: Any) -> "ScheduleSlotView":
        return cls.from_entity(slot, run_status=None)


class ScheduleSlotPage(Page[ScheduleSlotView]):
    pass


class ScheduleDetail(ScheduleView):
    """One schedule, with how its recent slots went (GET /schedules/{id})."""

    refused_slots: int = Field(description="how many of the schedule's recorded slots (its "
                                           "newest 100) could not be triggered")
    last_refused: ScheduleSlotView | None = Field(description="the newest refused slot, with "
                                                              "its reason")

    @classmethod
    def from_health(cls, health: Any) -> Any:
        last = health.last_refused
        return cls.from_entity(health.schedule, refused_slots=health.refused_count,
                               last_refused=ScheduleSlotView.from_slot(last) if last else None)
