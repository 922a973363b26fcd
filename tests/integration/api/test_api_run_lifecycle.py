"""The whole path through the API: artifact -> flow -> deployment -> run -> result."""

from __future__ import annotations

from dagy.application.bus import MessageBus
from dagy.application.use_cases.outbox import relay_outbox


def test_upload_register_deploy_run_and_read_back(api):
    flow_obj = api.load_flow(api.NUMBERS_FLOW.format(flow_name="numbers", version="1.0.0"),
                             "numbers")
    artifact, uri = api.upload(flow_obj)
    assert uri.startswith("memory://") and uri.endswith(".zip")

    body = api.register_body(flow_obj, artifact, uri)
    first = api.post("/flows", json=body)
    assert first.status_code == 201, first.text
    assert first.json()["flow_version"] == "1.0.0"
    again = api.post("/flows", json=body)
    assert again.status_code == 200 and again.json()["code_hash"] == artifact.code_hash
    claimed = api.post("/flows", json={**body, "code_hash": "f" * 64})
    assert "derives it from the stored ZIP" in api.error(claimed, 422, "invalid")["message"]
    changed = api.load_flow(api.NUMBERS_FLOW.replace("sum(xs)", "sum(xs) + 1").format(
        flow_name="numbers", version="1.0.0"), "numbers")
    other_artifact, other_uri = api.upload(changed)
    clash = api.post("/flows", json=api.register_body(changed, other_artifact, other_uri))
    api.error(clash, 409, "conflict")

    info = api.get("/flows/numbers").json()
    assert info["latest_version"] == "1.0.0"
    assert [(v["flow_version"], v["code_hash"]) for v in info["versions"]] == [
        ("1.0.0", artifact.code_hash)]
    version = api.get("/flows/numbers/versions/1.0.0").json()
    assert version["flow_spec"]["name"] == "numbers"
    assert api.get("/flows/numbers/versions/latest").json()["flow_version"] == "1.0.0"
    listed = api.get("/flows").json()
    assert [f["flow_name"] for f in listed["items"]] == ["numbers"]
    assert listed["next_cursor"] is None

    deployment = {"deployment_name": "numbers-prod", "flow_name": "numbers",
                  "flow_version": "1.0.0"}
    created = api.post("/deployments", json=deployment)
    assert created.status_code == 201 and created.json()["status"] == "ACTIVE"
    updated = api.post("/deployments", json={**deployment, "tags": {"team": "data"}})
    assert updated.status_code == 200 and updated.json()["tags"] == {"team": "data"}
    assert api.get("/deployments/numbers-prod").json()["flow_name"] == "numbers"

    run = api.trigger(parameters={"n": 4})
    assert run["status"] == "QUEUED" and run["run_id"] and run["run_slug"]
    assert api.get(f"/runs/{run['run_id']}").json()["status"] == "QUEUED"

    api.drain()
    done = api.get(f"/runs/{run['run_id']}").json()
    assert done["status"] == "SUCCEEDED", done
    assert done["result"] == 6 and done["parameters"] == {"n": 4}
    task_runs = api.get(f"/runs/{run['run_id']}/task-runs").json()
    assert sorted(t["task_name"] for t in task_runs["items"]) == ["make", "total"]
    assert {t["status"] for t in task_runs["items"]} == {"SUCCEEDED"}
    logs = api.get(f"/runs/{run['run_id']}/logs").json()
    assert logs["items"] and all({"timestamp", "level", "message"} <= set(line)
                                 for line in logs["items"])
    assert any("SUCCEEDED" in line["message"] for line in logs["items"])
    runs = api.get("/runs", params={"status": "succeeded"}).json()["items"]
    assert [r["run_id"] for r in runs] == [run["run_id"]]


def test_parameters_are_checked_before_anything_is_queued(api):
    api.deploy()
    for parameters, fragment in [({}, "missing required parameter 'n'"),
                                 ({"n": 1, "m": 2}, "unknown parameter 'm'"),
                                 ({"n": "3"}, "parameter 'n' must be"),
                                 ({"n": [1]}, "parameter 'n' must be")]:
        response = api.post("/runs", json={"deployment_name": "numbers-prod",
                                           "parameters": parameters})
        error = api.error(response, 422, "invalid")
        assert any(fragment in problem for problem in error["details"]), error
    assert api.pending_outbox() == 0 and len(api.deps.queue) == 0
    assert api.get("/runs").json() == {"items": [], "next_cursor": None}


def test_idempotency_key_returns_the_same_run(api):
    api.deploy()
    first = api.trigger(parameters={"n": 2}, idempotency_key="nightly-2024-01-01")
    repeat = api.post("/runs", json={"deployment_name": "numbers-prod", "parameters": {"n": 2},
                                     "idempotency_key": "nightly-2024-01-01"})
    assert repeat.status_code == 200
    assert repeat.json()["run_id"] == first["run_id"]
    assert len(api.get("/runs").json()["items"]) == 1
    assert api.pending_outbox() == 1


def test_cancel_a_queued_run_then_its_delivery_does_nothing(api):
    api.deploy()
    run = api.trigger(parameters={"n": 3})
    cancelled = api.post(f"/runs/{run['run_id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "CANCELLED"
    api.drain()
    after = api.get(f"/runs/{run['run_id']}").json()
    assert after["status"] == "CANCELLED" and after["result"] is None
    assert api.get(f"/runs/{run['run_id']}/task-runs").json()["items"] == []
    api.error(api.post(f"/runs/{run['run_id']}/cancel"), 409, "conflict")


def test_retry_reruns_only_the_failed_task(api, tmp_path):
    state = tmp_path / "flaky-state"
    state.mkdir()
    api.deploy(api.FLAKY_FLOW, "flaky", "flaky-prod", "flaky", state_dir=str(state))
    run = api.trigger("flaky-prod")
    api.drain()
    failed = api.get(f"/runs/{run['run_id']}").json()
    assert failed["status"] == "FAILED", failed
    assert "second fails the first time" in failed["error_message"]
    assert (state / "first.count").read_text() == "x"

    api.error(api.post(f"/runs/{run['run_id']}/cancel"), 409, "conflict")
    retried = api.post(f"/runs/{run['run_id']}/retry")
    assert retried.status_code == 200 and retried.json()["status"] == "QUEUED"
    api.error(api.post(f"/runs/{run['run_id']}/retry"), 409, "conflict")
    api.drain()
    done = api.get(f"/runs/{run['run_id']}").json()
    assert done["status"] == "SUCCEEDED" and done["result"] == 2, done
    assert (state / "first.count").read_text() == "x"  # the succeeded task did not run again
    statuses = {t["task_name"]: t["status"]
                for t in api.get(f"/runs/{run['run_id']}/task-runs").json()["items"]}
    assert statuses == {"first": "SUCCEEDED", "second": "SUCCEEDED"}


def test_duplicate_delivery_of_run_execute_executes_once(api):
    api.deploy()
    run = api.trigger(parameters={"n": 5})
    relay_outbox(api.deps)
    [message] = api.deps.queue.receive(10, 60)
    bus = MessageBus(api.deps)
    assert bus.handle(message.body) is not None
    assert bus.handle(message.body) is None  # the claim fails: already executed
    done = api.get(f"/runs/{run['run_id']}").json()
    assert done["status"] == "SUCCEEDED" and done["result"] == 10
    task_runs = api.get(f"/runs/{run['run_id']}/task-runs").json()["items"]
    assert len(task_runs) == 2 and {t["attempt"] for t in task_runs} == {1}
    messages = [line["message"] for line in api.get(f"/runs/{run['run_id']}/logs").json()["items"]]
    assert sum("make SUCCEEDED" in m for m in messages) == 1


def test_deployment_pause_patch_resume_delete(api):
    api.deploy()
    paused = api.post("/deployments/numbers-prod/pause")
    assert paused.status_code == 200 and paused.json()["status"] == "PAUSED"
    api.error(api.post("/runs", json={"deployment_name": "numbers-prod",
                                      "parameters": {"n": 1}}), 409, "conflict")
    assert api.post("/deployments/numbers-prod/resume").json()["status"] == "ACTIVE"

    patched = api.call("PATCH", "/deployments/numbers-prod", json={"parameters": {"n": 7}})
    assert patched.status_code == 200 and patched.json()["parameters"] == {"n": 7}
    run = api.trigger()
    assert run["parameters"] == {"n": 7}
    api.error(api.call("PATCH", "/deployments/numbers-prod", json={"flow_version": "9.9"}),
              404, "not_found")

    assert api.call("DELETE", "/deployments/numbers-prod").status_code == 204
    api.error(api.get("/deployments/numbers-prod"), 404, "not_found")
    api.error(api.call("DELETE", "/deployments/numbers-prod"), 404, "not_found")
