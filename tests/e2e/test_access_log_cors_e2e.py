"""Access log, CORS and security headers on a real `dagy server` over HTTP: preflights
from an allowed and a refused origin, the headers on answers, then requests, SIGTERM, a
restart, and every request's row is in the database (read with sqlite3 and through
GET /access-logs)."""

from __future__ import annotations

import json
import signal
import sqlite3
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dagy_server import Server, dagy, free_port, one_line_error

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

UI = "http://ui.example.test:3000"


def call(url: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, \
                response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def test_cors_headers_and_the_access_log_survive_a_restart(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    env = {"DAGY_API_CORS_ALLOWED_ORIGINS": UI}
    server = Server(tmp_path, free_port(), **env)
    try:
        key = tomllib.loads((tmp_path / "home" / "profiles.toml").read_text())["local"]["api_key"]
        auth = {"Authorization": f"Bearer {key}"}
        status, headers, _ = call(f"{server.url}/runs", "OPTIONS", Origin=UI, **{
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,idempotency-key"})
        assert status == 200 and headers["access-control-allow-origin"] == UI
        assert "authorization" in headers["access-control-allow-headers"].lower()
        assert headers["x-frame-options"] == "DENY"
        status, headers, body = call(f"{server.url}/runs", "OPTIONS",
                                     Origin="http://evil.example.test", **{
                                         "Access-Control-Request-Method": "POST"})
        assert status == 400 and "access-control-allow-origin" not in headers
        assert json.loads(body)["error"]["code"] == "bad_request"

        status, headers, _ = call(f"{server.url}/runs", Origin=UI, **auth)
        assert status == 200 and headers["access-control-allow-origin"] == UI
        assert "x-request-id" in headers["access-control-expose-headers"].lower()
        for name, value in {"x-content-type-options": "nosniff", "x-frame-options": "DENY",
                            "referrer-policy": "no-referrer", "cache-control": "no-store",
                            "content-security-policy":
                                "default-src 'none'; frame-ancestors 'none'"}.items():
            assert headers[name] == value, name
        assert "strict-transport-security" not in headers
        assert "strict-transport-security" in call(f"{server.url}/health",
                                                   **{"X-Forwarded-Proto": "https"})[1]

        assert call(f"{server.url}/runs/run-e2e-1", **auth, **{"X-Request-Id": "e2e-404",
                                                               "User-Agent": "e2e/1"})[0] == 404
        assert call(f"{server.url}/flows", **{"X-Request-Id": "e2e-401"})[0] == 401
        assert call(f"{server.url}/no/such/path", **{"X-Request-Id": "e2e-none"})[0] == 404
        code, _ = server.stop(signal.SIGTERM)  # at once: the writer's buffer is written now
        assert code == 0
    finally:
        server.close()

    with sqlite3.connect(tmp_path / "home" / "dagy.db") as db:
        rows = {row[0]: row[1:] for row in db.execute(
            "SELECT request_id, method, route, path, status, credential_id, org_id, "
            "client_ip, user_agent FROM access_logs")}
    assert rows["e2e-404"][:4] == ("GET", "/runs/{run_id}", "/runs/run-e2e-1", 404)
    assert rows["e2e-404"][4] != "anonymous" and rows["e2e-404"][5]
    assert rows["e2e-404"][6:] == ("127.0.0.1", "e2e/1")
    assert rows["e2e-401"][1:4] == ("/flows", "/flows", 401)
    assert rows["e2e-401"][4:6] == ("anonymous", None)
    assert rows["e2e-none"][1:4] == ("-", "/no/such/path", 404)

    server = Server(tmp_path, free_port(), **env)
    try:
        _, _, body = call(f"{server.url}/access-logs?limit=1000", **auth)
        listed = {item["request_id"]: item for item in json.loads(body)["items"]}
        assert listed["e2e-404"]["route"] == "/runs/{run_id}"
        assert "e2e-401" not in listed and "e2e-none" not in listed  # no org: no listing
        assert server.stop(signal.SIGTERM)[0] == 0
    finally:
        server.close()


def test_a_bad_cors_setting_stops_the_start_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    proc = dagy(tmp_path, "server", "--port", str(free_port()),
                DAGY_API_CORS_ALLOWED_ORIGINS="https://ui.example.test/app")
    one_line_error(proc, 2, "DAGY_API_CORS_ALLOWED_ORIGINS", "is not an origin")
    assert not (tmp_path / "home").exists()  # checked before the database is touched
