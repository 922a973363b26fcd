"""The backfill use case on memory, SQLite and PostgreSQL: one run per slot with the
tick's key, nothing twice (neither by a repeat nor by a later tick), the slot limit and
every refusal writing nothing, and max_concurrent bounding the active runs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from artifact_zips import spec_only_zip

from dagy import flow, task
from dagy.application.principal import Principal
from dagy.application.use_cases.accounts import bootstrap
from dagy.application.use_cases.backfill import MAX_BACKFILL_SLOTS, backfill
from dagy.application.use_cases.deployments import create_deployment, set_paused
from dagy.application.use_cases.flows import RegisterFlow, register_flow, upload_artifact
from dagy.application.use_cases.runs import cancel_run
from dagy.application.use_cases.scheduler import scheduler_tick, slot_key
from dagy.application.use_cases.schedules import create_schedule
from dagy.domain.errors import ConflictError, NotFoundError, ValidationError
from dagy.entrypoints.wiring import build_deps

UTC = timezone.utc
NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
START = datetime(2027, 1, 1, tzinfo=UTC)


@task
def work(n: int) -> int:
    return n


@flow(name="filled", version="1.0.0")
def filled(n: int):
    return work(n)


class Clock:
    def __init__(self, now):
        self.current = now

    def now(self):
        return self.current


def deploy(deps, org_name: str = "default") -> Principal:
    org, _ = bootstrap(deps, org_name, f"admin@{org_name}")
    principal = Principal(org.org_id)
    data, code_hash = spec_only_zip(filled)
    uri = upload_artifact(deps, principal, data, "filled")
    register_flow(deps, principal, RegisterFlow("filled", "1.0.0", filled.spec.to_dict(), uri,
                                                code_hash))
    create_deployment(deps, principal, {"deployment_name": "daily", "flow_name": "filled",
                                        "flow_version": "1.0.0"})
    return principal


@pytest.fixture
def env(uow_factory):
    deps = build_deps(uow=uow_factory, clock=Clock(START - timedelta(days=1)), poll_probe=None)
    principal = deploy(deps)
    hourly = create_schedule(deps, principal, {
        "deployment_name": "daily", "mode": "cron", "cron_expression": "0 * * * *",
        "timezone": "Europe/Berlin", "parameters": {"n": 7}, "catchup_policy": "all",
        "max_catchup_runs": 1000})
    deps.clock.current = NOW
    return deps, principal, hourly


def all_runs(deps, principal):
    with deps.uow() as uow:
        runs, _ = uow.runs.list(principal.org_id, limit=1000)
    return runs


def test_one_run_per_slot_with_the_ticks_key_and_a_repeat_creates_none(env):
    deps, principal, hourly = env
    result = backfill(deps, principal, "daily", START, START + timedelta(hours=5))
    assert (result.created, result.existing, result.pending) == (5, 0, 0)
    epochs = [int((START + timedelta(hours=h)).timestamp()) for h in range(5)]
    assert [s.slot.epoch for s in result.slots] == epochs
    runs = all_runs(deps, principal)
    assert sorted(r.idempotency_key for r in runs) == sorted(
        slot_key(hourly.schedule_id, e) for e in epochs)
    assert {(r.parameters["n"], r.deployment_name, r.status.value) for r in runs} == {
        (7, "daily", "QUEUED")}
    again = backfill(deps, principal, "daily", START, START + timedelta(hours=5),
                     schedule_id=hourly.schedule_id)
    assert (again.created, again.existing) == (0, 5)
    assert [s.run.run_id for s in again.slots] == [s.run.run_id for s in result.slots]
    assert len(all_runs(deps, principal)) == 5


def test_a_later_tick_does_not_fire_a_backfilled_slot_again(env):
    deps, principal, hourly = env
    deps.clock.current = START + timedelta(hours=3, minutes=30)
    backfill(deps, principal, "daily", START + timedelta(hours=1), START + timedelta(hours=3))
    tick = scheduler_tick(deps)  # catch-up all: every hour since its creation a day before
    assert tick.triggered == 27 - 2  # 01:00 and 02:00 were backfilled
    keys = [r.idempotency_key for r in all_runs(deps, principal)]
    assert len(keys) == len(set(keys)) == 27


def test_more_slots_than_the_limit_is_refused_with_the_count_and_nothing_written(env):
    deps, principal, _ = env
    end = START + timedelta(hours=MAX_BACKFILL_SLOTS + 1)  # 1001 hourly slots
    deps.clock.current = end + timedelta(days=1)
    with pytest.raises(ValidationError, match=rf"{MAX_BACKFILL_SLOTS + 1} slots.*"
                                              rf"limit of {MAX_BACKFILL_SLOTS}"):
        backfill(deps, principal, "daily", START, end)
    assert all_runs(deps, principal) == []
    assert backfill(deps, principal, "daily", START, end - timedelta(hours=1)).created == 1000


@pytest.mark.parametrize("start, end, message", [
    (START, START, "must be before end"),
    (START + timedelta(hours=2), START, "must be before end"),
    (START.replace(tzinfo=None), START + timedelta(hours=2), "UTC offset"),
    (START, (START + timedelta(hours=2)).replace(tzinfo=None), "UTC offset"),
    (START, NOW + timedelta(seconds=1), "in the future"),
    ("2027-01-01", START + timedelta(hours=2), "ISO 8601"),
])
def test_bad_ranges_are_refused_and_write_nothing(env, start, end, message):
    deps, principal, _ = env
    with pytest.raises(ValidationError, match=message):
        backfill(deps, principal, "daily", start, end)
    assert all_runs(deps, principal) == []


def test_schedule_choice_unknown_foreign_ambiguous_or_missing(env):
    deps, principal, hourly = env
    window = (START, START + timedelta(hours=2))
    with pytest.raises(NotFoundError, match="'nope'"):
        backfill(deps, principal, "daily", *window, schedule_id="nope")
    with pytest.raises(NotFoundError, match="deployment 'ghost'"):
        backfill(deps, principal, "ghost", *window)
    other = deploy(deps, "other")
    with pytest.raises(NotFoundError):  # the other org's deployment of the same name
        backfill(deps, other, "daily", *window, schedule_id=hourly.schedule_id)
    with pytest.raises(ValidationError, match="has no schedule"):
        backfill(deps, other, "daily", *window)
    second = create_schedule(deps, principal, {"deployment_name": "daily", "mode": "interval",
                                               "interval_seconds": 1800, "parameters": {"n": 1}})
    with pytest.raises(ValidationError, match="2 schedules") as refused:
        backfill(deps, principal, "daily", *window)
    assert hourly.schedule_id in str(refused.value) and second.schedule_id in str(refused.value)
    assert all_runs(deps, principal) == [] and all_runs(deps, other) == []
    assert backfill(deps, principal, "daily", *window, schedule_id=second.schedule_id
                    ).created == 4


def test_a_paused_deployment_is_refused_and_nothing_written(env):
    deps, principal, _ = env
    set_paused(deps, principal, "daily", True)
    with pytest.raises(ConflictError, match="paused"):
        backfill(deps, principal, "daily", START, START + timedelta(hours=3))
    assert all_runs(deps, principal) == []


def test_max_concurrent_creates_runs_only_while_fewer_are_active(env):
    deps, principal, _ = env
    window = (START, START + timedelta(hours=5))
    first = backfill(deps, principal, "daily", *window, max_concurrent=2)
    assert (first.created, first.pending, first.active) == (2, 3, 2)
    assert [s.run is not None for s in first.slots] == [True, True, False, False, False]
    assert backfill(deps, principal, "daily", *window, max_concurrent=2).created == 0
    cancel_run(deps, principal, first.slots[0].run.run_id)  # one ends: one more may start
    third = backfill(deps, principal, "daily", *window, max_concurrent=2)
    assert (third.created, third.pending, third.active, third.finished) == (1, 2, 2, 1)
    assert third.slots[2].created and third.slots[3].run is None
    rest = backfill(deps, principal, "daily", *window)  # without the bound: all the rest
    assert (rest.created, rest.pending, rest.active) == (2, 0, 4)
    with pytest.raises(ValidationError, match="max_concurrent"):
        backfill(deps, principal, "daily", *window, max_concurrent=0)
    assert len(all_runs(deps, principal)) == 5
