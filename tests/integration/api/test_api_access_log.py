"""The access log through the API: what a request leaves behind, and GET /access-logs."""

from __future__ import annotations

from fastapi.testclient import TestClient

from dagy.application.principal import Principal
from dagy.application.use_cases import accounts
from dagy.application.use_cases.accounts import bootstrap, create_api_key
from dagy.domain.permissions import Role
from dagy.entrypoints.api import create_app
from dagy.entrypoints.wiring import build_deps


def setup(**overrides):
    deps = build_deps(**overrides)
    org, key = bootstrap(deps, "acme")
    app = create_app(deps)
    return deps, org, key, app, TestClient(app, raise_server_exceptions=False)


def every_entry(deps) -> list:
    return sorted(deps.access_log._entries, key=lambda e: e.log_id)


def test_a_request_is_logged_with_its_route_caller_and_request_id():
    deps, org, key, app, client = setup()
    answer = client.get("/runs/run-123", headers={"Authorization": f"Bearer {key}",
                                                  "User-Agent": "tester/1.0 " + "x" * 900,
                                                  "X-Request-Id": "req-abc"})
    assert answer.status_code == 404
    app.state.access_log.flush()
    [entry] = every_entry(deps)
    [key_id] = [k.key_id for k in accounts.list_api_keys(
        deps, Principal(org.org_id), limit=10)[0]]
    assert (entry.method, entry.route, entry.path, entry.status) == (
        "GET", "/runs/{run_id}", "/runs/run-123", 404)
    assert (entry.credential_id, entry.org_id, entry.request_id) == (key_id, org.org_id,
                                                                     "req-abc")
    assert entry.user_agent.startswith("tester/1.0") and len(entry.user_agent) == 300
    assert entry.client_ip == "testclient" and entry.latency_ms >= 0
    assert entry.request_id == answer.headers["x-request-id"]


def test_401s_404s_and_500s_are_logged_anonymously_when_no_caller_was_known(monkeypatch):
    deps, org, key, app, client = setup()

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(accounts, "describe_caller", explode)
    client.get("/flows", headers={"Authorization": "Bearer dagy_bad_key"})
    client.get("/no/such/thing/42")
    client.get("/me", headers={"Authorization": f"Bearer {key}"})
    app.state.access_log.flush()
    unauthenticated, unrouted, failed = every_entry(deps)
    assert (unauthenticated.status, unauthenticated.route, unauthenticated.credential_id,
            unauthenticated.org_id) == (401, "/flows", "anonymous", None)
    assert (unrouted.status, unrouted.route, unrouted.path, unrouted.org_id) == (
        404, "-", "/no/such/thing/42", None)
    assert (failed.status, failed.route, failed.org_id) == (500, "/me", org.org_id)


def test_get_access_logs_pages_the_callers_org_newest_first():
    deps, org, key, app, client = setup()
    auth = {"Authorization": f"Bearer {key}"}
    for i in range(5):
        client.get(f"/runs/r{i}", headers=auth)
    _, other_key = bootstrap(deps, "globex")  # another org's traffic
    client.get("/runs/secret-of-globex", headers={"Authorization": f"Bearer {other_key}"})
    app.state.access_log.flush()

    first = client.get("/access-logs", params={"limit": 3}, headers=auth)
    assert first.status_code == 200, first.text
    page = first.json()
    assert [e["path"] for e in page["items"]] == ["/runs/r4", "/runs/r3", "/runs/r2"]
    assert page["next_cursor"]
    rest = client.get("/access-logs", params={"limit": 3, "cursor": page["next_cursor"]},
                      headers=auth).json()
    assert [e["path"] for e in rest["items"]] == ["/runs/r1", "/runs/r0"]
    assert rest["next_cursor"] is None
    item = page["items"][0]
    assert item["route"] == "/runs/{run_id}" and item["status"] == 404
    assert set(item) == {"log_id", "at", "method", "route", "path", "status", "latency_ms",
                         "credential_id", "client_ip", "user_agent", "request_id"}
    app.state.access_log.flush()
    globex = client.get("/access-logs", headers={"Authorization": f"Bearer {other_key}"})
    assert [e["path"] for e in globex.json()["items"]] == ["/runs/secret-of-globex"]


def test_get_access_logs_needs_audit_read_and_a_valid_cursor():
    deps, org, key, app, client = setup()
    _, viewer = create_api_key(deps, Principal(org.org_id, None, Role.OWNER), "v",
                               role=Role.VIEWER)
    refused = client.get("/access-logs", headers={"Authorization": f"Bearer {viewer}"})
    assert refused.status_code == 403 and "audit:read" in refused.json()["error"]["message"]
    for cursor in ("abc", "-1", "0", "9" * 30):
        bad = client.get("/access-logs", params={"cursor": cursor},
                         headers={"Authorization": f"Bearer {key}"})
        assert bad.status_code == 422, (cursor, bad.text)
        assert bad.json()["error"]["code"] == "invalid"


def test_without_a_sink_nothing_is_recorded_and_the_list_is_empty():
    deps, org, key, app, client = setup(access_log=None)
    assert app.state.access_log is None
    answer = client.get("/access-logs", headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 200 and answer.json()["items"] == []
