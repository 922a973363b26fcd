"""GET /health needs no key; everything else answers 401 in the error shape without one."""

from __future__ import annotations

import pytest


def test_health_needs_no_auth(api):
    response = api.client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("header", [
    None,                                   # missing
    "",                                     # empty
    "Bearer",                               # no key
    "Basic dXNlcjpwYXNz",                   # wrong scheme
    "Bearer not-a-dagy-key",                # malformed
    "Bearer dagy_nosuchprefix_secret",      # unknown prefix
])
def test_missing_or_malformed_key_is_401(api, header):
    headers = {} if header is None else {"Authorization": header}
    response = api.client.get("/runs", headers=headers)
    error = api.error(response, 401, "unauthenticated")
    assert response.headers.get("www-authenticate") == "Bearer"
    assert "Traceback" not in error["message"]


def test_wrong_secret_is_401(api):
    prefix = api.key.split("_")[1]
    response = api.client.get("/deployments",
                              headers={"Authorization": f"Bearer dagy_{prefix}_wrong-secret"})
    api.error(response, 401, "unauthenticated")


def test_valid_key_any_scheme_case(api):
    response = api.client.get("/runs", headers={"Authorization": f"bearer {api.key}"})
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("method,path", [
    ("POST", "/artifacts?flow_name=x"), ("POST", "/flows"), ("GET", "/flows"),
    ("GET", "/flows/x"), ("GET", "/flows/x/versions/1"), ("POST", "/deployments"),
    ("GET", "/deployments"), ("GET", "/deployments/x"), ("PATCH", "/deployments/x"),
    ("DELETE", "/deployments/x"), ("POST", "/deployments/x/pause"),
    ("POST", "/deployments/x/resume"), ("POST", "/runs"), ("GET", "/runs"), ("GET", "/runs/x"),
    ("GET", "/runs/x/task-runs"), ("GET", "/runs/x/logs"), ("POST", "/runs/x/cancel"),
    ("POST", "/runs/x/retry"),
])
def test_every_route_requires_a_key(api, method, path):
    """Authentication comes before body validation: nothing is revealed without a key."""
    api.error(api.client.request(method, path), 401, "unauthenticated")
    api.error(api.client.request(method, path, json={"x": 1}), 401, "unauthenticated")


def test_unknown_route_and_method_use_the_error_shape(api):
    api.error(api.client.get("/no/such/route"), 404, "not_found")
    response = api.client.delete("/health")
    api.error(response, 405, "method_not_allowed")
    assert "GET" in response.headers.get("allow", "")


def test_unexpected_exception_is_500_without_traceback(api, monkeypatch):
    from dagy.application.use_cases import runs

    def boom(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(runs, "get_run", boom)
    response = api.get("/runs/abc")
    assert response.status_code == 500
    body = response.json()
    assert body == {"error": {"code": "internal", "message": "internal server error",
                              "details": None}}
    assert "secret internal detail" not in response.text
