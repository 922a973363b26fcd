"""The scheduler tick on in-memory adapters: exactly once per slot, catch-up, pauses, crashes."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from failing_uow import failing_commits

from dagy.application.use_cases.deployments import create_deployment, set_paused
from dagy.application.use_cases.scheduler import scheduler_tick, slot_key
from dagy.application.use_cases.schedules import (
    create_schedule,
    deployment_schedule_id,
    get_schedule,
    preview,
)

T0 = datetime(2027, 3, 26, 12, 0, 30, tzinfo=timezone.utc)


class FixedClock:
    def __init__(self, now):
        self.current = now

    def now(self):
        return self.current


def runs_of(harness, schedule_id):
    with harness.deps.uow() as uow:
        runs, _ = uow.runs.list(harness.principal.org_id, limit=1000)
    return sorted(r.idempotency_key for r in runs
                  if (r.idempotency_key or "").startswith(f"schedule:{schedule_id}:"))


@pytest.fixture
def every_minute(harness):
    harness.deps.clock = FixedClock(T0)
    return create_schedule(harness.deps, harness.principal, {
        "deployment_name": "numbers-dep", "cron_expression": "* * * * *",
        "parameters": {"n": 5}, "catchup_policy": "none"})


def test_catchup_none_fires_only_the_latest_slot_and_reports_the_rest(harness, every_minute):
    harness.deps.clock.current = T0 + timedelta(minutes=5)
    result = scheduler_tick(harness.deps)
    assert (result.triggered, result.skipped_slots) == (1, 4)
    latest = int((T0 + timedelta(minutes=5)).replace(second=0).timestamp())
    assert runs_of(harness, every_minute.schedule_id) == [slot_key(every_minute.schedule_id, latest)]
    assert scheduler_tick(harness.deps).triggered == 0  # a repeated tick finds nothing due
    after = get_schedule(harness.deps, harness.principal, every_minute.schedule_id)
    assert after.next_run_epoch == latest + 60


def test_catchup_all_is_capped_and_the_cap_is_reported(harness, every_minute):
    from dagy.application.use_cases.schedules import patch_schedule
    patch_schedule(harness.deps, harness.principal, every_minute.schedule_id,
                   {"catchup_policy": "all", "max_catchup_runs": 3})
    harness.deps.clock.current = T0 + timedelta(minutes=10)
    result = scheduler_tick(harness.deps)
    assert (result.triggered, result.skipped_slots) == (3, 7)


def test_concurrent_and_repeated_ticks_fire_each_slot_once(harness, every_minute):
    keys = []
    for minute in range(1, 31):
        harness.deps.clock.current = T0 + timedelta(minutes=minute)
        threads = [threading.Thread(target=scheduler_tick, args=(harness.deps,)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        keys = runs_of(harness, every_minute.schedule_id)
    expected = [slot_key(every_minute.schedule_id, int(T0.replace(second=0).timestamp()) + 60 * m)
                for m in range(1, 31)]
    assert keys == sorted(expected)


def test_a_tick_that_dies_half_way_loses_nothing(harness, every_minute):
    harness.deps.clock.current = T0 + timedelta(minutes=1)
    real = harness.deps.uow

    harness.deps.uow = failing_commits(real, lambda n: True, "killed")
    with pytest.raises(RuntimeError):
        scheduler_tick(harness.deps)
    harness.deps.uow = real
    assert runs_of(harness, every_minute.schedule_id) == []
    assert scheduler_tick(harness.deps).triggered == 1


def test_paused_deployment_stops_its_schedules_without_a_flood_on_resume(harness, every_minute):
    set_paused(harness.deps, harness.principal, "numbers-dep", True)
    harness.deps.clock.current = T0 + timedelta(minutes=3)
    result = scheduler_tick(harness.deps)
    assert result.triggered == 0 and result.refused and "paused" in result.refused[0]
    set_paused(harness.deps, harness.principal, "numbers-dep", False)
    harness.deps.clock.current = T0 + timedelta(minutes=4)
    assert scheduler_tick(harness.deps).triggered == 1


def test_deployment_schedule_field_creates_and_follows_its_schedule(harness):
    harness.deps.clock = FixedClock(T0)
    create_deployment(harness.deps, harness.principal, {
        "deployment_name": "nightly", "flow_name": "numbers", "flow_version": "1.0.0",
        "schedule": "30 2 * * *"})
    sid = deployment_schedule_id(harness.principal.org_id, "nightly")
    schedule = get_schedule(harness.deps, harness.principal, sid)
    assert schedule.cron_expression == "30 2 * * *"
    slots = preview(harness.deps, harness.principal, sid, 2)
    assert [slot.utc for slot in slots] == [datetime(2027, 3, 27, 2, 30, tzinfo=timezone.utc),
                                            datetime(2027, 3, 28, 2, 30, tzinfo=timezone.utc)]
    create_deployment(harness.deps, harness.principal, {
        "deployment_name": "nightly", "flow_name": "numbers", "schedule": "0 4 * * *"})
    assert get_schedule(harness.deps, harness.principal, sid).cron_expression == "0 4 * * *"


def test_scheduler_tick_event_is_routed_by_the_bus(harness, every_minute):
    from dagy.application.bus import MessageBus
    from dagy.domain.events import BadEventError
    harness.deps.clock.current = T0 + timedelta(minutes=2)
    bus = MessageBus(harness.deps)
    result = bus.handle({"dagy_event_type": "scheduler_tick", "max_due": 100})
    assert result.triggered == 1
    assert bus.handle('{"dagy_event_type": "scheduler_tick"}').triggered == 0
    with pytest.raises(BadEventError, match="max_due"):
        bus.handle({"dagy_event_type": "scheduler_tick", "max_due": "all"})


def test_the_tick_owns_the_max_due_rule(harness):
    from dagy.application.use_cases.scheduler import MAX_DUE_LIMIT, check_max_due, run_tick
    from dagy.domain.errors import ValidationError
    assert check_max_due(1) == 1 and check_max_due(MAX_DUE_LIMIT) == MAX_DUE_LIMIT
    for bad in (0, MAX_DUE_LIMIT + 1, True, 2.0, "5", None):
        with pytest.raises(ValidationError, match="max_due"):
            check_max_due(bad)
    with pytest.raises(ValidationError, match="max_due"):
        scheduler_tick(harness.deps, max_due=0)
    with pytest.raises(ValidationError, match="max_due"):
        run_tick(harness.deps, max_due=-1)


def test_run_tick_also_polls_due_sensors(harness):
    from dagy.application.use_cases.scheduler import run_tick
    from dagy.application.use_cases.sensors import create_sensor
    polled = []

    def probe(sensor):
        polled.append(sensor.sensor_id)
        return None
    harness.deps.clock = FixedClock(T0)
    harness.deps.poll_probe = probe
    sensor = create_sensor(harness.deps, harness.principal, {
        "name": "feed", "sensor_type": "polling", "deployment_name": "numbers-dep",
        "config": {"kind": "http", "url": "http://127.0.0.1:9/feed", "interval_seconds": 10}})
    harness.deps.clock.current = T0 + timedelta(minutes=5)
    run_tick(harness.deps)
    assert polled == [sensor["sensor_id"] if isinstance(sensor, dict) else sensor.sensor_id]
