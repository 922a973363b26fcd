"""What became of a schedule's slot: triggered (with its run) or refused (with the reason).

The tick records every slot it handles in the same transaction that advances the
schedule, so a slot that could not be triggered (deployment paused or deleted, flow
version changed, parameters no longer valid) is never lost silently: users read it in
the schedule's recent slots. The history is bounded: a schedule keeps its newest
SLOT_HISTORY slots (by slot time); older ones are dropped as new ones are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

SLOT_STATUSES = ("triggered", "refused")

#: Slots kept per schedule (newest slot times first); older records are deleted.
SLOT_HISTORY = 100

#: A refusal's reason is cut to this many characters (errors can quote long values).
MAX_REASON = 1000


@dataclass
class ScheduleSlot:
    """One slot of one schedule, unique by (org_id, schedule_id, epoch). `run_id` is set
    for a triggered slot (the run whose idempotency key is the slot's), `reason` for a
    refused one."""

    org_id: str
    schedule_id: str
    epoch: int  # the slot's time, epoch seconds (the `<epoch>` of its idempotency key)
    scheduled_for: datetime
    status: str
    reason: str | None = None
    run_id: str | None = None
    recorded_at: datetime | None = None


def refused_slot(org_id: str, schedule_id: str, epoch: int, scheduled_for: datetime,
                 reason: str, now: datetime) -> ScheduleSlot:
    text = reason if len(reason) <= MAX_REASON else reason[:MAX_REASON - 3] + "..."
    return ScheduleSlot(org_id, schedule_id, epoch, scheduled_for, "refused", text, None, now)


def triggered_slot(org_id: str, schedule_id: str, epoch: int, scheduled_for: datetime,
                   run_id: str, now: datetime) -> ScheduleSlot:
    return ScheduleSlot(org_id, schedule_id, epoch, scheduled_for, "triggered", None, run_id,
                        now)
