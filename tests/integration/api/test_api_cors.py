"""CORS from DAGY_API_CORS_ALLOWED_ORIGINS: exact origins, '*' alone, or none at all."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dagy.application.use_cases.accounts import bootstrap
from dagy.domain.errors import ConfigurationError
from dagy.entrypoints.api import create_app
from dagy.entrypoints.api.cors import parse_origins
from dagy.entrypoints.wiring import build_deps

ALLOWED = "https://app.example.com"


def client_for(origins: str) -> tuple[TestClient, str]:
    deps = build_deps()
    _, key = bootstrap(deps, "acme")
    app = create_app(deps, cors_origins=parse_origins(origins))
    return TestClient(app, raise_server_exceptions=False), key


def preflight(client: TestClient, origin: str, method: str = "POST",
              headers: str = "authorization, content-type, x-dagy-org, idempotency-key"):
    return client.options("/runs", headers={"Origin": origin,
                                            "Access-Control-Request-Method": method,
                                            "Access-Control-Request-Headers": headers})


def test_a_preflight_from_an_allowed_origin_names_methods_and_headers():
    client, _ = client_for(f"{ALLOWED}, http://localhost:3000")
    answer = preflight(client, ALLOWED)
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == ALLOWED
    assert "access-control-allow-credentials" not in answer.headers
    methods = answer.headers["access-control-allow-methods"]
    assert all(m in methods for m in ("GET", "POST", "PATCH", "DELETE"))
    allowed = answer.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "content-type", "x-dagy-org", "idempotency-key",
                   "x-request-id"):
        assert header in allowed
    assert answer.headers["x-content-type-options"] == "nosniff"  # security headers too
    assert answer.headers["x-request-id"]


def test_a_preflight_from_another_origin_is_refused_in_the_error_shape():
    client, _ = client_for(ALLOWED)
    answer = preflight(client, "https://evil.example.net")
    assert answer.status_code == 400
    assert "access-control-allow-origin" not in answer.headers
    error = answer.json()["error"]
    assert error["code"] == "bad_request" and "origin" in error["message"]
    assert answer.headers["content-security-policy"]
    unknown_header = preflight(client, ALLOWED, headers="x-secret-thing")
    assert unknown_header.status_code == 400 and "headers" in unknown_header.json()[
        "error"]["message"]


def test_a_simple_get_with_origin_gets_the_cors_headers_only_when_allowed():
    client, key = client_for(ALLOWED)
    auth = {"Authorization": f"Bearer {key}"}
    answer = client.get("/runs", headers={**auth, "Origin": ALLOWED})
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == ALLOWED
    exposed = answer.headers["access-control-expose-headers"].lower()
    for header in ("retry-after", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset",
                   "x-request-id"):
        assert header in exposed
    assert "origin" in answer.headers["vary"].lower()
    other = client.get("/runs", headers={**auth, "Origin": "https://evil.example.net"})
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
    denied = client.get("/runs", headers={"Origin": ALLOWED})  # errors are readable too
    assert denied.status_code == 401
    assert denied.headers["access-control-allow-origin"] == ALLOWED


def test_no_setting_means_no_cors_headers_at_all():
    client, key = client_for("")
    answer = preflight(client, ALLOWED)
    assert not [h for h in answer.headers if h.startswith("access-control-")]
    got = client.get("/health", headers={"Origin": ALLOWED})
    assert not [h for h in got.headers if h.startswith("access-control-")]


def test_star_allows_any_origin_without_credentials():
    client, _ = client_for("*")
    answer = preflight(client, "https://anywhere.example.org")
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in answer.headers


@pytest.mark.parametrize("text", ["*, https://a.example.com", "https://a.example.com/",
                                  "https://a.example.com/path", "a.example.com",
                                  "ftp://a.example.com", "https://*.example.com"])
def test_a_bad_origin_setting_is_a_configuration_error(text):
    with pytest.raises(ConfigurationError, match="DAGY_API_CORS_ALLOWED_ORIGINS"):
        parse_origins(text)


def test_origins_are_parsed_exactly():
    assert parse_origins(" https://A.example.com , http://localhost:3000,,") == (
        "https://a.example.com", "http://localhost:3000")
    assert parse_origins("http://[::1]:8080") == ("http://[::1]:8080",)
    assert parse_origins(None) == () and parse_origins("  ") == ()
