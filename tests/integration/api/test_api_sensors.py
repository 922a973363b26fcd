"""Sensors over HTTP: the resource, and webhooks POST /hooks/{token} that run flows.
(S3 notifications and polling: test_api_sensor_triggers.py.)"""

from __future__ import annotations

import json

from dagy.application.use_cases.accounts import bootstrap
from dagy.domain.schedules.sensors import sign
from dagy.entrypoints.container import build_container
from dagy.entrypoints.settings import DagySettings


def webhook(api, config: dict | None = None, **body) -> dict:
    response = api.post("/sensors", json={"name": "on-push", "sensor_type": "webhook",
                                          "deployment_name": "numbers-prod",
                                          "config": config or {}, **body})
    assert response.status_code == 201, response.text
    return response.json()


def hook(api, token: str, payload=None, raw: bytes | None = None, headers: dict | None = None):
    """POST /hooks/{token} without any Authorization header."""
    content = raw if raw is not None else json.dumps(payload).encode()
    return api.client.post(f"/hooks/{token}", content=content,
                           headers={"Content-Type": "application/json", **(headers or {})})


def test_a_webhook_runs_the_flow_with_mapped_parameters(api):
    api.deploy()
    sensor = webhook(api, {"parameter_mapping": {"n": "$.data['item count']"}},
                     flow_params={"n": 1})
    assert len(sensor["webhook_token"]) >= 43
    assert sensor["webhook_path"] == f"/hooks/{sensor['webhook_token']}"
    assert sensor["flow_name"] == "numbers" and sensor["config"]["has_hmac_secret"] is False
    response = hook(api, sensor["webhook_token"], {"data": {"item count": 4}})
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert set(accepted) == {"run_id", "run_slug", "status"} and accepted["status"] == "QUEUED"
    api.drain()
    run = api.get(f"/runs/{accepted['run_id']}").json()
    assert run["status"] == "SUCCEEDED" and run["parameters"] == {"n": 4}
    assert run["result"] == 6 and run["run_slug"] == accepted["run_slug"]
    shown = api.get(f"/sensors/{sensor['sensor_id']}").json()
    assert shown["last_triggered_at"] is not None and "webhook_token" not in shown

    unmapped = hook(api, sensor["webhook_token"], {"data": {}})
    error = api.error(unmapped, 422, "invalid")
    assert "$.data['item count']" in error["message"]


def test_redelivered_webhooks_reuse_the_run(api):
    api.deploy()
    token = webhook(api, flow_params={"n": 2})["webhook_token"]
    first = hook(api, token, {}, headers={"X-Dagy-Delivery": "delivery-1"}).json()
    again = hook(api, token, {}, headers={"x-dagy-delivery": "delivery-1"}).json()
    other = hook(api, token, {}, headers={"Idempotency-Key": "delivery-2"}).json()
    assert first["run_id"] == again["run_id"] != other["run_id"]
    assert len(api.get("/runs").json()["items"]) == 2


def test_unknown_tokens_are_404_without_any_auth(api):
    for token in ("nope", "x" * 300):
        error = api.error(hook(api, token, {}), 404, "not_found")
        assert "token" in error["message"]
    assert api.client.post("/hooks/").status_code in (404, 405)


def test_hmac_signatures(api):
    api.deploy()
    token = webhook(api, {"hmac_secret": "s3cret"}, flow_params={"n": 1})["webhook_token"]
    raw = json.dumps({"event": "push"}).encode()
    for headers in ({}, {"X-Dagy-Signature": sign("wrong", raw)},
                    {"X-Dagy-Signature": "sha256=" + "0" * 64}):
        api.error(hook(api, token, raw=raw, headers=headers), 401, "unauthenticated")
    tampered = hook(api, token, raw=raw + b" ", headers={"X-Dagy-Signature": sign("s3cret", raw)})
    api.error(tampered, 401)
    signed = hook(api, token, raw=raw, headers={"X-Dagy-Signature": sign("s3cret", raw)})
    assert signed.status_code == 202, signed.text
    bare = hook(api, token, raw=raw, headers={"X-Dagy-Signature": sign("s3cret", raw)[7:]})
    assert bare.status_code == 202, bare.text


def test_payload_limits_and_shapes(api):
    api.deploy()
    small = webhook(api, {"max_payload_bytes": 100}, flow_params={"n": 1})["webhook_token"]
    error = api.error(hook(api, small, {"pad": "x" * 200}), 413, "payload_too_large")
    assert "100" in error["message"]
    huge = webhook(api, {"max_payload_bytes": 1048576}, flow_params={"n": 1})["webhook_token"]
    near_limit = hook(api, huge, {"pad": "x" * 1_000_000})  # the 1 MiB guard lets it through
    assert near_limit.status_code == 202, near_limit.text
    api.error(hook(api, huge, {"pad": "x" * 1_100_000}), 413, "payload_too_large")
    chunks = (b"x" * 65536 for _ in range(20))  # streamed, no Content-Length
    api.error(api.client.post(f"/hooks/{huge}", content=chunks), 413, "payload_too_large")
    for raw in (b"[1, 2]", b'"text"', b"null", b"{not json", b""):
        api.error(hook(api, small, raw=raw), 422, "invalid")


def test_rotation_disable_and_delete_retire_the_token(api):
    api.deploy()
    sensor = webhook(api, flow_params={"n": 1})
    sensor_id, old = sensor["sensor_id"], sensor["webhook_token"]
    rotated = api.post(f"/sensors/{sensor_id}/rotate-token")
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["webhook_token"]
    assert new != old and len(new) >= 43
    api.error(hook(api, old, {}), 404, "not_found")
    assert hook(api, new, {}).status_code == 202

    assert api.post(f"/sensors/{sensor_id}/disable").json()["enabled"] is False
    api.error(hook(api, new, {}), 404, "not_found")
    assert api.post(f"/sensors/{sensor_id}/enable").json()["enabled"] is True
    assert hook(api, new, {}).status_code == 202

    assert api.call("DELETE", f"/sensors/{sensor_id}").status_code == 204
    api.error(hook(api, new, {}), 404)
    api.error(api.get(f"/sensors/{sensor_id}"), 404, "not_found")


def test_sensor_resource_crud_and_validation(api):
    api.deploy()
    sensor = webhook(api, {"hmac_secret": "hidden"})
    sensor_id = sensor["sensor_id"]
    assert "hidden" not in json.dumps(sensor) and sensor["config"]["has_hmac_secret"] is True
    s3 = api.post("/sensors", json={"name": "drops", "sensor_type": "s3",
                                    "deployment_name": "numbers-prod",
                                    "config": {"bucket": "landing"}})
    assert s3.status_code == 201 and "webhook_token" not in s3.json()
    listed = api.get("/sensors").json()
    assert {s["sensor_id"] for s in listed["items"]} == {sensor_id, s3.json()["sensor_id"]}
    only_s3 = api.get("/sensors", params={"sensor_type": "s3"}).json()["items"]
    assert [s["name"] for s in only_s3] == ["drops"]
    patched = api.call("PATCH", f"/sensors/{sensor_id}",
                       json={"name": "renamed", "config": {"max_payload_bytes": 2048}})
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "renamed"
    assert patched.json()["config"] == {"max_payload_bytes": 2048, "has_hmac_secret": True,
                                        "signature_header": "X-Dagy-Signature"}
    for bad in ({"name": "x", "sensor_type": "cron", "deployment_name": "numbers-prod"},
                {"name": "x", "sensor_type": "webhook", "deployment_name": "numbers-prod",
                 "surprise": 1},
                {"name": "x", "sensor_type": "s3", "deployment_name": "numbers-prod",
                 "config": {"prefix": "no-bucket/"}},
                {"name": "x", "sensor_type": "polling", "deployment_name": "numbers-prod",
                 "config": {"kind": "http", "url": "file:///etc/passwd"}}):
        api.error(api.post("/sensors", json=bad), 422, "invalid")
    api.error(api.post("/sensors", json={"name": "x", "sensor_type": "webhook",
                                         "deployment_name": "missing"}), 404, "not_found")
    api.error(api.call("PATCH", f"/sensors/{sensor_id}", json={"sensor_type": "s3"}), 422)
    api.error(api.post(f"/sensors/{s3.json()['sensor_id']}/rotate-token"), 422, "invalid")
    api.error(api.client.get("/sensors"), 401, "unauthenticated")


def test_another_org_cannot_see_or_touch_our_sensors(api):
    api.deploy()
    sensor = webhook(api, flow_params={"n": 1})
    sensor_id = sensor["sensor_id"]
    _, other_key = bootstrap(api.deps, "globex")
    theirs = {"Authorization": f"Bearer {other_key}"}
    for method, path in (("GET", f"/sensors/{sensor_id}"), ("PATCH", f"/sensors/{sensor_id}"),
                         ("DELETE", f"/sensors/{sensor_id}"),
                         ("POST", f"/sensors/{sensor_id}/disable"),
                         ("POST", f"/sensors/{sensor_id}/rotate-token")):
        kwargs = {"json": {"name": "stolen"}} if method == "PATCH" else {}
        api.error(api.client.request(method, path, headers=theirs, **kwargs), 404, "not_found")
    assert api.client.get("/sensors", headers=theirs).json()["items"] == []
    api.error(api.client.post("/sensors", headers=theirs, json={
        "name": "x", "sensor_type": "webhook", "deployment_name": "numbers-prod"}), 404)
    assert hook(api, sensor["webhook_token"], {}).status_code == 202  # still ours, still live


def test_webhooks_on_the_embedded_sqlite(tmp_path, api_for):
    container = build_container(DagySettings(home=tmp_path / "home"))
    try:
        api = api_for(container.deps)
        api.deploy()
        sensor = webhook(api, {"hmac_secret": "k", "parameter_mapping": {"n": "$.n"}})
        raw = b'{"n": 3}'
        signed = {"X-Dagy-Signature": sign("k", raw), "X-Dagy-Delivery": "d-1"}
        first = hook(api, sensor["webhook_token"], raw=raw, headers=signed)
        again = hook(api, sensor["webhook_token"], raw=raw, headers=signed)
        assert first.status_code == again.status_code == 202, first.text
        assert first.json()["run_id"] == again.json()["run_id"]
        api.error(hook(api, sensor["webhook_token"], raw=raw), 401)
        new = api.post(f"/sensors/{sensor['sensor_id']}/rotate-token").json()["webhook_token"]
        api.error(hook(api, sensor["webhook_token"], raw=raw, headers=signed), 404)
        api.drain()
        run = api.get(f"/runs/{first.json()['run_id']}").json()
        assert run["status"] == "SUCCEEDED" and run["result"] == 3
        assert api.get(f"/sensors/{sensor['sensor_id']}").json()["last_triggered_at"]
        assert new != sensor["webhook_token"]
    finally:
        container.close()
