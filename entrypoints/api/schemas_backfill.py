"""Wire models of `POST /deployments/{name}/backfill`: its body and its answer."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from dagy.application.use_cases.backfill import MAX_CONCURRENT_LIMIT, BackfillResult
from dagy.domain.states import RunStatus
from dagy.entrypoints.api.query_times import QueryTime
from dagy.entrypoints.api.schemas_common import TIME_DESCRIPTION, Integer, WireTime, wire_time


class BackfillBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: QueryTime = Field(description="first instant of the range (inclusive), with offset")
    end: QueryTime = Field(description="end of the range (exclusive), with offset; not after now")
    schedule_id: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        None, description="required when the deployment has several schedules")
    max_concurrent: Annotated[Integer, Field(ge=1, le=MAX_CONCURRENT_LIMIT)] | None = Field(
        None, description="create runs only while fewer than this many of the range's runs "
                          "are QUEUED or RUNNING; the rest stay `pending` for the next call")


class BackfillSlotView(BaseModel):
    scheduled_at: WireTime = Field(description="the slot's instant: " + TIME_DESCRIPTION)
    local: str = Field(description="the slot in the schedule's zone, with its offset")
    run_id: str | None = Field(description="null while the slot is pending")
    status: RunStatus | None
    created: bool = Field(description="true when this call created the slot's run")


class BackfillView(BaseModel):
    schedule_id: str
    total: int = Field(description="slots in the range")
    created: int = Field(description="runs this call created")
    existing: int = Field(description="slots whose run existed before this call")
    pending: int = Field(description="slots left without a run (max_concurrent reached)")
    active: int = Field(description="of the range's runs, how many are QUEUED or RUNNING")
    finished: int = Field(description="of the range's runs, how many have ended")
    runs: list[str] = Field(description="the run ids of the range's slots, in slot order")
    slots: list[BackfillSlotView]

    @classmethod
    def from_result(cls, result: BackfillResult) -> Any:
        slots = [BackfillSlotView.model_construct(
            scheduled_at=wire_time(s.slot.utc), local=s.slot.local.isoformat(),
            run_id=s.run.run_id if s.run else None, status=s.run.status if s.run else None,
            created=s.created) for s in result.slots]
        return cls.model_construct(
            schedule_id=result.schedule_id, total=len(result.slots), created=result.created,
            existing=result.existing, pending=result.pending, active=result.active,
            finished=result.finished, runs=[s.run_id for s in slots if s.run_id], slots=slots)
