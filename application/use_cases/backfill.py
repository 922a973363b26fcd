"""Backfill: one run per past slot of a deployment's schedule in [start, end).

Each run carries the slot's idempotency key, the very key the tick uses
(`scheduler.slot_key`), and the slots come from the schedule's own timeline
(`timeline.slots_between`: its zone, DST policy, start_at/end_at). So repeating a backfill
creates nothing twice, and a tick that later reaches a backfilled slot finds its run.

`max_concurrent` bounds how many of the range's runs are QUEUED or RUNNING: a call
creates runs only up to that many active ones and reports the slots still `pending`.
The state lives in the runs themselves, so calling again (the CLI does, as runs finish)
continues where the last call stopped, after any crash of either side. Two callers at
once may overshoot the bound by their overlap; the tick is not bounded by it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from dagy.application import audit_trail
from dagy.application.audit_views import run_view
from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.application.use_cases.runs import add_prepared, prepare_run
from dagy.application.use_cases.scheduler import slot_key
from dagy.domain.errors import NotFoundError, ValidationError
from dagy.domain.runs import Run, TriggerSource
from dagy.domain.schedules.model import Schedule
from dagy.domain.schedules.timeline import Slot, count_between, slots_between
from dagy.domain.states import RunStatus

MAX_BACKFILL_SLOTS = 1000
MAX_CONCURRENT_LIMIT = 1000
ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


@dataclass
class BackfillSlot:
    """One slot of the range and its run (None while the slot is still pending)."""

    slot: Slot
    run: Run | None
    created: bool = False


@dataclass
class BackfillResult:
    schedule_id: str
    slots: list[BackfillSlot] = field(default_factory=list)

    def _count(self, test: Any) -> int:
        return sum(1 for s in self.slots if test(s))

    @property
    def created(self) -> int:
        return self._count(lambda s: s.created)

    @property
    def existing(self) -> int:
        return self._count(lambda s: s.run is not None and not s.created)

    @property
    def pending(self) -> int:
        return self._count(lambda s: s.run is None)

    @property
    def active(self) -> int:
        return self._count(lambda s: s.run is not None and s.run.status in ACTIVE)

    @property
    def finished(self) -> int:
        return self._count(lambda s: s.run is not None and s.run.status.is_terminal)


def backfill(deps: Deps, principal: Principal, deployment_name: str, start: Any, end: Any,
             schedule_id: str | None = None, max_concurrent: int | None = None) -> BackfillResult:
    """Create the runs of the schedule's slots in [start, end), in slot order.

    Raises ValidationError (nothing written) for naive or reversed times, an end in the
    future, a range of more than MAX_BACKFILL_SLOTS slots, or an ambiguous schedule;
    NotFoundError for an unknown deployment or a schedule not of this deployment.
    """
    start, end = _check_range(deps, start, end)
    _check_max_concurrent(max_concurrent)
    with deps.uow() as uow:
        if uow.deployments.get(principal.org_id, deployment_name) is None:
            raise NotFoundError(f"deployment {deployment_name!r} not found")
        schedule = _choose_schedule(uow, principal, deployment_name, schedule_id)
        slots = slots_between(schedule, start, end, MAX_BACKFILL_SLOTS + 1)
        if len(slots) > MAX_BACKFILL_SLOTS:
            total = count_between(schedule, start, end)
            raise ValidationError(
                f"the range holds {total} slots of schedule {schedule.schedule_id}, more than "
                f"the limit of {MAX_BACKFILL_SLOTS} per backfill; split it into shorter ranges")
        result = BackfillResult(schedule.schedule_id)
        for slot in slots:
            existing = uow.runs.get_by_idempotency_key(
                principal.org_id, slot_key(schedule.schedule_id, slot.epoch))
            result.slots.append(BackfillSlot(slot, existing))
        budget = None if max_concurrent is None else max(0, max_concurrent - result.active)
        memo: dict = {}
        for item in result.slots:
            if item.run is not None:
                continue
            if budget is not None and budget <= 0:
                break
            item.run, item.created = _create(deps, uow, principal, schedule, item.slot, memo)
            if budget is not None and item.created:
                budget -= 1
        created = [item.run for item in result.slots if item.created and item.run]
        if created:
            audit_trail.record(uow, deps, principal, "deployment.backfill", "deployment",
                               deployment_name, after={
                                   "schedule_id": schedule.schedule_id,
                                   "start": start, "end": end,
                                   "max_concurrent": max_concurrent,
                                   "runs": [run.run_id for run in created]})
        uow.commit()
    return result


def _create(deps: Deps, uow: Any, principal: Principal, schedule: Schedule, slot: Slot,
            memo: dict) -> tuple[Run, bool]:
    """The slot's run, built as the tick builds it (same parameters, same key)."""
    key = slot_key(schedule.schedule_id, slot.epoch)
    run, _ = prepare_run(deps, uow, principal, schedule.deployment_name,
                         schedule.parameters, None, None, deployments=memo,
                         trigger_source=TriggerSource.BACKFILL)
    run.idempotency_key = key
    return add_prepared(deps, uow, run)  # a tick committing the same slot meanwhile wins


def _choose_schedule(uow: Any, principal: Principal, deployment_name: str,
                     schedule_id: str | None) -> Schedule:
    if schedule_id is not None:
        schedule = uow.schedules.get(principal.org_id, schedule_id)
        if schedule is None or schedule.deployment_name != deployment_name:
            raise NotFoundError(f"schedule {schedule_id!r} of deployment "
                                f"{deployment_name!r} not found")
        return schedule
    found = uow.schedules.for_deployment(principal.org_id, deployment_name)
    if not found:
        raise ValidationError(f"deployment {deployment_name!r} has no schedule to backfill")
    if len(found) > 1:
        ids = ", ".join(sorted(s.schedule_id for s in found))
        raise ValidationError(f"deployment {deployment_name!r} has {len(found)} schedules; "
                              f"choose one with schedule_id: {ids}")
    return found[0]


def _check_range(deps: Deps, start: Any, end: Any) -> tuple[datetime, datetime]:
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, datetime):
            raise ValidationError(f"{name} must be an ISO 8601 date-time")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationError(f"{name} must include a UTC offset "
                                  f"(e.g. 2026-01-01T00:00:00Z), got {value.isoformat()}")
    try:
        start, end = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    except OverflowError:
        raise ValidationError("start and end must lie in years 1 to 9999 in UTC") from None
    if start >= end:
        raise ValidationError(f"start ({start.isoformat()}) must be before end "
                              f"({end.isoformat()})")
    now = deps.clock.now()
    if end > now:
        raise ValidationError(f"end ({end.isoformat()}) is in the future; a backfill covers "
                              f"past slots only (the scheduler fires the rest)")
    return start, end


def _check_max_concurrent(value: Any) -> None:
    if value is None:
        return
    if (not isinstance(value, int) or isinstance(value, bool)
            or not 1 <= value <= MAX_CONCURRENT_LIMIT):
        raise ValidationError(f"max_concurrent must be an integer from 1 to "
                              f"{MAX_CONCURRENT_LIMIT}")
