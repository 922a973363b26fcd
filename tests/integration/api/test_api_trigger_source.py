"""Every run says why it exists (`trigger_source`), whoever or whatever made it: an API
key (`api`), a person (`manual`), a schedule's "run now" and its tick (`schedule`), a
backfill; sensors are covered in test_api_sensor_triggers.py. Stored: a listing and a
read agree on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime, timezone

import pytest
from backend_deps import ALL_BACKENDS, deps_on

from dagy.application.principal import Principal
from dagy.application.use_cases.runs import trigger_run
from dagy.application.use_cases.scheduler import scheduler_tick
from dagy.domain.permissions import Role


def source_of(api, run_id: str) -> str | None:
    return api.get(f"/runs/{run_id}").json()["trigger_source"]


@pytest.fixture(params=ALL_BACKENDS)
def api(request, api_for, tmp_path):
    with ExitStack() as stack:
        yield api_for(deps_on(request.param, tmp_path / "home", stack))


def test_each_way_of_making_a_run_records_its_source(api):
    api.deploy()
    assert source_of(api, api.trigger(parameters={"n": 1})["run_id"]) == "api"

    with api.deps.uow() as uow:
        org_id = uow.orgs.get_by_name("acme").org_id
    person = Principal(org_id, user_id="someone", role=Role.OPERATOR)
    run, _ = trigger_run(api.deps, person, "numbers-prod", {"n": 2})
    assert source_of(api, run.run_id) == "manual"

    sid = api.post("/schedules", json={"deployment_name": "numbers-prod",
                                       "cron_expression": "0 * * * *",
                                       "parameters": {"n": 3}}).json()["schedule_id"]
    now_run = api.post(f"/schedules/{sid}/run").json()
    assert now_run["trigger_source"] == "schedule"
    scheduler_tick(api.deps, now=datetime(2100, 1, 1, tzinfo=timezone.utc))
    backfilled = api.post("/deployments/numbers-prod/backfill", json={
        "start": "2026-01-01T00:00:00Z", "end": "2026-01-01T02:00:00Z"}).json()["runs"]

    listed = {r["run_id"]: r["trigger_source"]
              for r in api.get("/runs", params={"limit": 200}).json()["items"]}
    assert {listed[r] for r in backfilled} == {"backfill"}
    ticked = set(listed) - set(backfilled) - {run.run_id, now_run["run_id"]}
    assert sorted(listed[r] for r in ticked) == ["api", "schedule"]
