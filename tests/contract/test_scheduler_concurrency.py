"""Four tickers at once over a simulated day with DST changes in two zones: every due
slot is triggered exactly once (counted), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from artifact_zips import spec_only_zip

from dagy.adapters.sql.migrate import upgrade
from dagy.adapters.sql.uow import SqlUnitOfWork
from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.application.use_cases.accounts import bootstrap
from dagy.application.use_cases.deployments import create_deployment
from dagy.application.use_cases.flows import RegisterFlow, register_flow, upload_artifact
from dagy.application.use_cases.scheduler import scheduler_tick, slot_key
from dagy.application.use_cases.schedules import create_schedule
from dagy import flow, task
from dagy.domain.schedules.timeline import slots_after
from dagy.entrypoints.wiring import build_deps

START = datetime(2027, 3, 27, 22, 0, tzinfo=timezone.utc)  # the night Europe springs forward
END = START + timedelta(days=1)
STEP = timedelta(minutes=5)
TICKERS = 4


@task
def work(n: int) -> int:
    return n


@flow(name="ticked", version="1.0.0")
def ticked(n: int = 1):
    return work(n)


class Clock:
    def __init__(self, now):
        self.current = now

    def now(self):
        return self.current


def make_deps(engine) -> Deps:
    upgrade(engine)
    return build_deps(uow=lambda: SqlUnitOfWork(engine), clock=Clock(START), poll_probe=None)


def deploy(deps: Deps) -> Principal:
    org, _ = bootstrap(deps)
    principal = Principal(org.org_id)
    data, code_hash = spec_only_zip(ticked)
    uri = upload_artifact(deps, principal, data, "ticked")
    register_flow(deps, principal, RegisterFlow("ticked", "1.0.0", ticked.spec.to_dict(), uri,
                                                code_hash))
    create_deployment(deps, principal, {"deployment_name": "ticked", "flow_name": "ticked",
                                        "flow_version": "1.0.0"})
    return principal


SCHEDULES = [
    {"cron_expression": "*/15 * * * *", "timezone": "Europe/Berlin"},
    {"cron_expression": "*/15 * * * *", "timezone": "Europe/London"},
    {"cron_expression": "30 2 * * *", "timezone": "Europe/Berlin"},  # in the gap: shifted
    {"cron_expression": "30 1 * * *", "timezone": "Europe/London",
     "dst_policy": {"nonexistent": "skip"}},                           # in the gap: skipped
    {"cron_expression": "45 23 * * *", "timezone": "America/New_York"},
]


def test_concurrent_ticks_trigger_every_slot_exactly_once(sql_engine):
    deps = make_deps(sql_engine)
    principal = deploy(deps)
    created = [create_schedule(deps, principal, {"deployment_name": "ticked", **s})
               for s in SCHEDULES]
    expected = {slot_key(s.schedule_id, slot.epoch) for s in created
                for slot in slots_after(s, START, 500) if slot.utc <= END}
    assert len(expected) == 96 + 96 + 1 + 0 + 1  # counted independently of the code

    errors: list[BaseException] = []
    now = START
    while now < END:
        now += STEP
        barrier = threading.Barrier(TICKERS, timeout=10)

        def tick(at=now):
            try:
                barrier.wait()
                scheduler_tick(deps, max_due=100, now=at)
            except BaseException as exc:  # reported below, never swallowed
                errors.append(exc)
        threads = [threading.Thread(target=tick) for _ in range(TICKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert not any(t.is_alive() for t in threads)
    assert errors == []
    with deps.uow() as uow:
        runs, more = uow.runs.list(principal.org_id, limit=1000)
    assert more is None
    keys = [run.idempotency_key for run in runs]
    assert len(keys) == len(set(keys)), "a slot was triggered twice"
    assert set(keys) == expected
