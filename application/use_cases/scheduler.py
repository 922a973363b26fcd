"""The scheduler tick: fire every due slot exactly once, then advance the schedule.

One tick claims up to `max_due` due schedules (PostgreSQL: FOR UPDATE SKIP LOCKED, so
concurrent tickers take disjoint schedules), builds a run per due slot with the slot as
idempotency key (`schedule:<id>:<epoch>`, unique per org), advances each schedule with
compare-and-set, and commits all of it in one transaction: a tick that dies half way
commits nothing and loses nothing; a repeated or concurrent tick finds the slots done.
Every slot handled is recorded in that transaction too (ScheduleRepository.record_slots):
triggered with its run, or refused with the reason and a warning in the server's log,
so a slot that could not run is never dropped silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.application.use_cases.runs import add_prepared, execute_event, prepare_run
from dagy.domain.errors import ConflictError, DagyError, ValidationError
from dagy.domain.runs import TriggerSource
from dagy.domain.schedules.slots import refused_slot, triggered_slot
from dagy.domain.schedules.timeline import advance, due_slots

logger = logging.getLogger("dagy.scheduler")


@dataclass
class TickResult:
    schedules: int = 0
    triggered: int = 0
    skipped_slots: int = 0  # left out by catch-up policy or its cap (reported, never silent)
    refused: list[str] = field(default_factory=list)  # slots whose trigger was refused
    conflicts: int = 0


class _Changed(Exception):
    """A schedule changed under the tick (a PATCH): give the whole tick up, retry later."""


def slot_key(schedule_id: str, epoch: int) -> str:
    return f"schedule:{schedule_id}:{epoch}"


MAX_DUE_LIMIT = 10_000


def check_max_due(max_due: Any) -> int:
    """How many schedules one tick may claim: an integer from 1 to MAX_DUE_LIMIT. The one
    owner of the rule; the queue event and the scheduler Lambda pass the value through."""
    if (not isinstance(max_due, int) or isinstance(max_due, bool)
            or not 1 <= max_due <= MAX_DUE_LIMIT):
        raise ValidationError(f"max_due must be an integer from 1 to {MAX_DUE_LIMIT}")
    return max_due


def scheduler_tick(deps: Deps, max_due: int = 100, now: datetime | None = None) -> TickResult:
    check_max_due(max_due)
    now = now or deps.clock.now()
    try:
        return _tick(deps, max_due, now, bulk=True)
    except ConflictError:  # a slot's run exists already (a manual run reused its key)
        return _tick(deps, max_due, now, bulk=False)
    except _Changed:
        return TickResult(conflicts=1)


def _tick(deps: Deps, max_due: int, now: datetime, bulk: bool) -> TickResult:
    result = TickResult()
    with deps.uow() as uow:
        due = uow.schedules.due(int(now.timestamp()), max_due)
        memo: dict = {}
        fresh: list = []
        records: list = []
        for schedule in due:
            result.schedules += 1
            slots, skipped = due_slots(schedule, now)
            result.skipped_slots += skipped
            for slot in slots:
                run = _prepare(deps, uow, schedule, slot, memo, result, bulk, records, now)
                if run is not None:
                    fresh.append(run)
            _advance(uow, schedule, slots[-1] if slots else None, now)
        uow.schedules.record_slots(records)
        if bulk:
            uow.runs.add_many(fresh)
            uow.outbox.add_many([execute_event(deps, run) for run in fresh])
        uow.commit()
    for record in records:  # logged once committed: a retried tick does not log twice
        if record.status == "refused":
            logger.warning("schedule %s (org %s): slot %s refused: %s", record.schedule_id,
                           record.org_id, record.scheduled_for.isoformat(), record.reason)
    result.triggered = len(fresh)
    return result


def _prepare(deps: Deps, uow: Any, schedule: Any, slot: Any, memo: dict, result: TickResult,
             bulk: bool, records: list, now: datetime) -> Any:
    """The slot's new run (None if refused or already run), its record added to `records`."""
    key = slot_key(schedule.schedule_id, slot.epoch)
    where = (schedule.org_id, schedule.schedule_id, slot.epoch, slot.utc)
    try:
        # bulk: skip the per-slot key lookup; the unique key still guards the insert
        run, created = prepare_run(deps, uow, Principal(schedule.org_id),
                                   schedule.deployment_name, schedule.parameters, None,
                                   None if bulk else key, deployments=memo,
                                   trigger_source=TriggerSource.SCHEDULE)
    except DagyError as exc:  # paused or deleted deployment, parameters no longer valid
        result.refused.append(f"{key}: {exc}")
        records.append(refused_slot(*where, str(exc), now))
        return None
    if created:
        run.idempotency_key = key
        if not bulk:
            run, created = add_prepared(deps, uow, run)
    records.append(triggered_slot(*where, run.run_id, now))  # a reused key: its run
    return run if created else None


def _advance(uow: Any, schedule: Any, last_slot: Any, now: datetime) -> None:
    expected = schedule.version
    schedule.next_run_epoch, schedule.next_run_at = advance(schedule, last_slot, now)
    if last_slot is not None:
        schedule.last_triggered_at = now
    schedule.version += 1
    schedule.updated_at = now
    if not uow.schedules.compare_and_set(schedule, expected):
        raise _Changed()


def tick_until_idle(deps: Deps, max_due: int = 100, max_batches: int = 100) -> TickResult:
    """Ticks of `max_due` schedules until none is left due (bounded by `max_batches`)."""
    total = TickResult()
    now = deps.clock.now()
    for _ in range(max_batches):
        result = scheduler_tick(deps, max_due, now)
        total.schedules += result.schedules
        total.triggered += result.triggered
        total.skipped_slots += result.skipped_slots
        total.refused += result.refused
        total.conflicts += result.conflicts
        if result.schedules < max_due and not result.conflicts:
            break
    return total


def run_tick(deps: Deps, max_due: int = 100, max_batches: int = 100) -> TickResult:
    """Everything a tick does: due schedules (until none is left, bounded) and, when a
    probe is configured, due polling sensors. Server loop, scheduler Lambda and the
    `scheduler_tick` queue event all call this."""
    from dagy.application.use_cases.sensor_triggers import poll_sensors
    result = tick_until_idle(deps, max_due, max_batches) if max_batches > 1 else (
        scheduler_tick(deps, max_due))
    if deps.poll_probe is not None:
        result.triggered += poll_sensors(deps, deps.clock.now(), deps.poll_probe)
    return result
