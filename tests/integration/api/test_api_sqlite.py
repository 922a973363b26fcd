"""The same happy path on the embedded default: SQLite, the SQL queue and SQL logs."""

from __future__ import annotations

import pytest

from dagy.entrypoints.container import build_container
from dagy.entrypoints.settings import DagySettings


@pytest.fixture
def sqlite_api(tmp_path, api_for):
    container = build_container(DagySettings(home=tmp_path / "home"))
    try:
        yield api_for(container.deps)
    finally:
        container.close()


def test_happy_path_on_sqlite(sqlite_api):
    api = sqlite_api
    deployed = api.deploy()
    assert api.post("/flows", json=api.register_body(
        deployed["flow"], deployed["artifact"], deployed["uri"])).status_code == 200
    assert api.get("/flows/numbers").json()["latest_version"] == "1.0.0"

    run = api.trigger(parameters={"n": 4}, idempotency_key="once")
    repeat = api.post("/runs", json={"deployment_name": "numbers-prod", "parameters": {"n": 4},
                                     "idempotency_key": "once"})
    assert repeat.status_code == 200 and repeat.json()["run_id"] == run["run_id"]
    api.error(api.post("/runs", json={"deployment_name": "numbers-prod"}), 422, "invalid")

    api.drain()
    done = api.get(f"/runs/{run['run_id']}").json()
    assert done["status"] == "SUCCEEDED" and done["result"] == 6, done
    task_runs = api.get(f"/runs/{run['run_id']}/task-runs", params={"limit": 1}).json()
    assert len(task_runs["items"]) == 1 and task_runs["next_cursor"]
    assert api.get(f"/runs/{run['run_id']}/logs").json()["items"]
    assert [r["run_id"] for r in api.get("/runs").json()["items"]] == [run["run_id"]]
    api.error(api.get("/runs", params={"cursor": "garbage"}))
    api.error(api.get("/flows", params={"cursor": "garbage"}))
    api.error(api.get("/deployments", params={"cursor": "garbage"}))
    api.error(api.get(f"/runs/{run['run_id']}/task-runs", params={"cursor": "garbage"}))
    api.error(api.get(f"/runs/{run['run_id']}/logs", params={"cursor": "garbage"}))

    cancelled = api.trigger(parameters={"n": 1})
    assert api.post(f"/runs/{cancelled['run_id']}/cancel").json()["status"] == "CANCELLED"
    api.drain()
    assert api.get(f"/runs/{cancelled['run_id']}").json()["status"] == "CANCELLED"
