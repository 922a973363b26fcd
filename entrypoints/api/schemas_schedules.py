"""Wire models of schedules and their previews, built from the entities (`from_entity`)."""

from __future__ import annotations

from typing import Any, Literal
from zoneinfo import available_timezones

from pydantic import BaseModel, Field

from dagy.entrypoints.api.schemas_common import (TIME_DESCRIPTION, EntityView, Page, Timestamp,
                                                 WireTime, wire_time)

#: An IANA zone name this server knows (the tzdata it ships with).
TimezoneName = Literal[tuple(sorted(available_timezones()))]  # type: ignore[valid-type]


class DstPolicyView(BaseModel):
    nonexistent: Literal["shift", "skip"]
    ambiguous: Literal["once", "twice"]


class ScheduleView(EntityView):
    schedule_id: str
    deployment_name: str
    flow_name: str
    mode: Literal["cron", "interval", "one_time", "manual"]
    cron_expression: str | None
    interval_seconds: int | None
    timezone: str
    start_at: Timestamp
    end_at: Timestamp
    parameters: dict[str, Any]
    enabled: bool
    catchup_policy: Literal["none", "all"]
    max_catchup_runs: int
    dst_policy: DstPolicyView
    next_run_epoch: int | None
    next_run_at: Timestamp
    last_triggered_at: Timestamp
    created_at: Timestamp
    updated_at: Timestamp

    @classmethod
    def from_entity(cls, entity: Any, **extra: Any) -> Any:
        policy = DstPolicyView.model_construct(**entity.dst_policy)
        return super().from_entity(entity, dst_policy=policy, **extra)


class SlotView(BaseModel):
    local: str = Field(description="the firing time in the schedule's zone, with its offset "
                                   "(a wall-clock time, so not in UTC)")
    utc: WireTime = Field(description="the same instant in UTC: " + TIME_DESCRIPTION)

    @classmethod
    def from_slot(cls, slot: Any) -> "SlotView":
        return cls.model_construct(local=slot.local.isoformat(), utc=wire_time(slot.utc))


class SchedulePreview(BaseModel):
    items: list[SlotView]


class SchedulePage(Page[ScheduleView]):
    pass
