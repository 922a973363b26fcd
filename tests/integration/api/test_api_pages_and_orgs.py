"""Keyset pagination walks every page; another organization sees nothing of ours."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from dagy.application.use_cases.accounts import bootstrap


def walk(api, path: str, limit: int, **params) -> tuple[list[dict], int]:
    items, pages, cursor = [], 0, None
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = api.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert set(page) == {"items", "next_cursor"} and len(page["items"]) <= limit
        items += page["items"]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            return items, pages
        assert pages < 50


def test_pagination_walks_runs_deployments_flows_task_runs_and_logs(api):
    deployed = api.deploy()
    run_ids = [api.trigger(parameters={"n": i})["run_id"] for i in range(7)]
    runs, pages = walk(api, "/runs", 3)
    assert [r["run_id"] for r in runs] == run_ids[::-1] and pages >= 3  # newest first

    for i in range(4):
        assert api.post("/deployments", json={"deployment_name": f"extra-{i}",
                                              "flow_name": "numbers"}).status_code == 201
    deployments, _ = walk(api, "/deployments", 2)
    assert sorted(d["deployment_name"] for d in deployments) == sorted(
        ["numbers-prod"] + [f"extra-{i}" for i in range(4)])
    assert len(walk(api, "/deployments", 2, flow_name="nope")[0]) == 0

    for name in ("alpha", "beta", "gamma"):  # the spec comes from each flow's own build
        flow_obj = api.load_flow(api.NUMBERS_FLOW.format(flow_name=name, version="1.0.0"),
                                 "numbers")
        artifact, uri = api.upload(flow_obj)
        assert api.post("/flows", json=api.register_body(flow_obj, artifact, uri)
                        ).status_code == 201
    flows, _ = walk(api, "/flows", 2)
    assert [f["flow_name"] for f in flows] == ["alpha", "beta", "gamma", "numbers"]

    api.drain()
    first = run_ids[-1]
    task_runs, pages = walk(api, f"/runs/{first}/task-runs", 1)
    assert len(task_runs) == 2 and pages >= 2
    all_logs = api.get(f"/runs/{first}/logs").json()["items"]
    paged_logs, _ = walk(api, f"/runs/{first}/logs", 2)
    assert paged_logs == all_logs and len(all_logs) > 2


def test_run_filters(api):
    api.deploy()
    run = api.trigger(parameters={"n": 1})
    now = datetime.now(timezone.utc)

    def ids(**params):
        response = api.get("/runs", params=params)
        assert response.status_code == 200, response.text
        return [r["run_id"] for r in response.json()["items"]]

    assert ids(flow_name="numbers") == [run["run_id"]]
    assert ids(flow_name="other") == []
    assert ids(deployment_name="numbers-prod", status="QUEUED") == [run["run_id"]]
    assert ids(status="FAILED") == []
    assert ids(created_after=(now - timedelta(hours=1)).isoformat()) == [run["run_id"]]
    assert ids(created_after=(now + timedelta(hours=1)).isoformat()) == []
    assert ids(created_before=(now + timedelta(hours=1)).replace(tzinfo=None).isoformat()) == [
        run["run_id"]]
    assert ids(created_before="2000-01-01T00:00:00Z") == []
    api.error(api.get("/runs", params={"status": "SLEEPING"}), 422, "invalid")
    api.error(api.get("/runs", params={"created_after": "yesterday"}), 422, "invalid")


def upload_as(api, headers, artifact, flow_name):
    response = api.client.post("/artifacts", content=artifact.path.read_bytes(),
                               params={"flow_name": flow_name},
                               headers={**headers, "Content-Type": "application/zip"})
    assert response.status_code == 201, response.text
    return response.json()["artifact_uri"]


def test_another_org_sees_none_of_it(api):
    deployed = api.deploy()
    run = api.trigger(parameters={"n": 2})
    api.drain()
    _, other_key = bootstrap(api.deps, "other")
    other = {"Authorization": f"Bearer {other_key}"}

    def as_other(method, path, **kwargs):
        return api.client.request(method, path, headers=other, **kwargs)

    rid = run["run_id"]
    for method, path in [("GET", f"/runs/{rid}"), ("GET", f"/runs/{rid}/task-runs"),
                         ("GET", f"/runs/{rid}/logs"), ("POST", f"/runs/{rid}/cancel"),
                         ("POST", f"/runs/{rid}/retry"), ("GET", "/deployments/numbers-prod"),
                         ("POST", "/deployments/numbers-prod/pause"),
                         ("POST", "/deployments/numbers-prod/resume"),
                         ("DELETE", "/deployments/numbers-prod"), ("GET", "/flows/numbers"),
                         ("GET", "/flows/numbers/versions/1.0.0"),
                         ("GET", "/flows/numbers/versions/latest")]:
        api.error(as_other(method, path), 404, "not_found")
    api.error(as_other("PATCH", "/deployments/numbers-prod", json={"tags": {}}), 404)
    api.error(as_other("POST", "/runs", json={"deployment_name": "numbers-prod",
                                              "parameters": {"n": 1}}), 404, "not_found")
    api.error(as_other("POST", "/deployments", json={
        "deployment_name": "mine", "flow_name": "numbers"}), 404, "not_found")
    for path in ("/runs", "/deployments", "/flows"):
        assert as_other("GET", path).json() == {"items": [], "next_cursor": None}

    # the same names are free in the other org, and ours are untouched
    body = api.register_body(deployed["flow"], deployed["artifact"], deployed["uri"])
    stolen = as_other("POST", "/flows", json={**body, "code_hash": "e" * 64})
    api.error(stolen, 422, "invalid")  # our artifact URI is not theirs to register
    own_uri = upload_as(api, other, deployed["artifact"], "numbers")
    api.error(as_other("POST", "/flows", json={**body, "artifact_uri": own_uri,
                                               "code_hash": "e" * 64}), 422, "invalid")
    assert as_other("POST", "/flows", json={**body, "artifact_uri": own_uri}).status_code == 201
    assert api.get(f"/runs/{rid}").json()["status"] == "SUCCEEDED"
    assert api.get("/deployments/numbers-prod").json()["status"] == "ACTIVE"
    assert api.get("/flows/numbers").json()["versions"][0]["code_hash"] == \
        deployed["artifact"].code_hash
