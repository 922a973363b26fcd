"""The tick records every slot it handles: refused ones with the reason (and a warning
in the log), triggered ones with their run; once per slot, in the tick's transaction."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest
from failing_uow import failing_commits

from dagy import flow, task
from dagy.application.principal import Principal
from dagy.application.use_cases.deployments import set_paused
from dagy.application.use_cases.schedule_slots import list_slots, schedule_health
from dagy.application.use_cases.scheduler import scheduler_tick, slot_key
from dagy.application.use_cases.schedules import create_schedule, delete_schedule
from dagy.domain.errors import NotFoundError, ValidationError

T0 = datetime(2027, 3, 26, 12, 0, 30, tzinfo=timezone.utc)
MINUTE0 = int(T0.replace(second=0).timestamp())


class FixedClock:
    def __init__(self, now):
        self.current = now

    def now(self):
        return self.current


@task
def add(n: int, m: int) -> int:
    return n + m


@flow(name="numbers", version="2.0.0")
def numbers_v2(n: int, m: int):  # a new required parameter the schedule does not give
    return add(n, m)


@pytest.fixture
def every_minute(harness):
    harness.deps.clock = FixedClock(T0)
    return create_schedule(harness.deps, harness.principal, {
        "deployment_name": "numbers-dep", "cron_expression": "* * * * *",
        "parameters": {"n": 5}, "catchup_policy": "none"})


def _tick_at(harness, minutes: int):
    harness.deps.clock.current = T0 + timedelta(minutes=minutes)
    return scheduler_tick(harness.deps)


def _slots(harness, schedule_id, **kw):
    items, _ = list_slots(harness.deps, harness.principal, schedule_id, limit=1000, **kw)
    return items


def test_a_paused_deployment_s_slot_is_recorded_once_with_the_reason_and_logged(
        harness, every_minute, caplog):
    set_paused(harness.deps, harness.principal, "numbers-dep", True)
    with caplog.at_level(logging.WARNING, logger="dagy.scheduler"):
        assert _tick_at(harness, 1).triggered == 0
    (record,) = _slots(harness, every_minute.schedule_id)
    assert (record.slot.status, record.slot.epoch, record.run_status) == (
        "refused", MINUTE0 + 60, None)
    assert "paused" in record.slot.reason and record.slot.scheduled_for.timestamp() == MINUTE0 + 60
    (line,) = [r for r in caplog.records if r.name == "dagy.scheduler"]
    assert line.levelno == logging.WARNING and every_minute.schedule_id in line.getMessage()
    assert "paused" in line.getMessage()
    for _ in range(3):  # a repeated tick at the same time records nothing more
        assert _tick_at(harness, 1).schedules == 0
    assert len(_slots(harness, every_minute.schedule_id)) == 1
    health = schedule_health(harness.deps, harness.principal, every_minute.schedule_id)
    assert health.refused_count == 1 and health.last_refused.epoch == MINUTE0 + 60


def test_a_new_flow_version_with_a_required_parameter_refuses_the_slot(harness, every_minute):
    harness.deploy(numbers_v2, "numbers-dep")  # the deployment moves to 2.0.0
    assert _tick_at(harness, 2).triggered == 0
    (record,) = _slots(harness, every_minute.schedule_id, status="refused")
    assert record.slot.epoch == MINUTE0 + 120
    assert record.slot.reason == "missing required parameter 'm'"
    assert _slots(harness, every_minute.schedule_id, status="triggered") == []


def test_triggered_slots_name_their_run_newest_first(harness, every_minute):
    assert _tick_at(harness, 1).triggered == 1
    set_paused(harness.deps, harness.principal, "numbers-dep", True)
    _tick_at(harness, 2)
    set_paused(harness.deps, harness.principal, "numbers-dep", False)
    assert _tick_at(harness, 3).triggered == 1
    got = _slots(harness, every_minute.schedule_id)
    assert [(o.slot.epoch - MINUTE0, o.slot.status) for o in got] == [
        (180, "triggered"), (120, "refused"), (60, "triggered")]
    with harness.deps.uow() as uow:
        run = uow.runs.get(harness.principal.org_id, got[0].slot.run_id)
    assert run.idempotency_key == slot_key(every_minute.schedule_id, MINUTE0 + 180)
    assert got[0].run_status == run.status.value
    health = schedule_health(harness.deps, harness.principal, every_minute.schedule_id)
    assert (health.refused_count, health.last_refused.epoch) == (1, MINUTE0 + 120)


def test_a_slot_whose_run_exists_already_is_recorded_with_that_run(harness, every_minute):
    from dagy.application.use_cases.runs import trigger_run
    key = slot_key(every_minute.schedule_id, MINUTE0 + 60)
    manual, _ = trigger_run(harness.deps, harness.principal, "numbers-dep", {"n": 1},
                            idempotency_key=key)
    assert _tick_at(harness, 1).triggered == 0
    (record,) = _slots(harness, every_minute.schedule_id)
    assert (record.slot.status, record.slot.run_id) == ("triggered", manual.run_id)


def test_a_tick_that_dies_records_nothing_and_its_retry_records_once(harness, every_minute):
    set_paused(harness.deps, harness.principal, "numbers-dep", True)
    real = harness.deps.uow
    harness.deps.uow = failing_commits(real, lambda n: True, "killed")
    with pytest.raises(RuntimeError):
        _tick_at(harness, 1)
    harness.deps.uow = real
    assert _slots(harness, every_minute.schedule_id) == []
    _tick_at(harness, 1)
    assert len(_slots(harness, every_minute.schedule_id)) == 1


def test_slots_of_an_unknown_or_foreign_schedule_are_not_found(harness, every_minute):
    set_paused(harness.deps, harness.principal, "numbers-dep", True)
    _tick_at(harness, 1)
    with pytest.raises(NotFoundError):
        list_slots(harness.deps, Principal("another-org"), every_minute.schedule_id)
    with pytest.raises(NotFoundError):
        schedule_health(harness.deps, harness.principal, "missing")
    with pytest.raises(ValidationError, match="status"):
        list_slots(harness.deps, harness.principal, every_minute.schedule_id, status="lost")
    delete_schedule(harness.deps, harness.principal, every_minute.schedule_id)
    with harness.deps.uow() as uow:  # the slots went with their schedule
        assert uow.schedules.slots(harness.principal.org_id, every_minute.schedule_id) == ([],
                                                                                          None)
