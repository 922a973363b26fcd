"""A real `dagy server` serving a (fake, tiny) web UI build over HTTP on loopback, and
the calls the UI's sign-in and Runs pages make: login, runs list, refresh."""

from __future__ import annotations

import http.client
import json
from pathlib import Path

import pytest

from dagy_server import Server, free_port

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

PASSWORD = "correct horse battery staple 42"
INDEX = "<html><body><script>self.__next_f=[]</script>Dagy UI</body></html>"


def _request(port: int, method: str, path: str, body: dict | None = None,
             token: str | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None,
                           headers=headers)
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "fake_home").mkdir()
    build = tmp_path / "ui-out"
    (build / "runs").mkdir(parents=True)
    (build / "index.html").write_text(INDEX)
    (build / "runs" / "index.html").write_text(INDEX.replace("Dagy UI", "Runs"))
    (tmp_path / "no-build").mkdir()
    return tmp_path


def test_server_serves_the_ui_and_the_calls_its_pages_make(workdir: Path) -> None:
    port = free_port()
    server = Server(workdir, port, DAGY_UI_DIR=str(workdir / "ui-out"),
                    DAGY_ADMIN_PASSWORD=PASSWORD)
    try:
        assert f"web UI at {server.url}/ui/" in server.out.read_text()
        status, headers, _ = _request(port, "GET", "/")
        assert status == 307 and headers["location"] == "/ui/"
        status, headers, page = _request(port, "GET", "/ui/runs/")
        assert status == 200 and b"Runs" in page
        assert "script-src 'self' 'sha256-" in headers["content-security-policy"]
        assert _request(port, "GET", "/ui/runs/0123")[0] == 404  # every page is a file

        status, _, body = _request(port, "POST", "/auth/login",
                                   {"email": "admin@localhost", "password": PASSWORD})
        assert status == 200, body
        pair = json.loads(body)
        status, _, body = _request(port, "GET", "/runs?limit=50", token=pair["access_token"])
        assert status == 200 and json.loads(body) == {"items": [], "next_cursor": None}
        status, _, body = _request(port, "POST", "/auth/refresh",
                                   {"refresh_token": pair["refresh_token"]})
        assert status == 200, body
        fresh = json.loads(body)
        assert _request(port, "GET", "/runs", token=fresh["access_token"])[0] == 200
        # a refresh token works once: the UI shares one refresh between its requests
        assert _request(port, "POST", "/auth/refresh",
                        {"refresh_token": pair["refresh_token"]})[0] == 401
        status, _, body = _request(port, "GET", "/no-such-path")
        assert status == 404 and json.loads(body)["error"]["code"] == "not_found"
    finally:
        server.close()


def test_without_a_build_the_server_is_api_only(workdir: Path) -> None:
    port = free_port()
    server = Server(workdir, port, DAGY_UI_DIR=str(workdir / "no-build"))
    try:
        assert "web UI" not in server.out.read_text()
        assert _request(port, "GET", "/ui/")[0] == 404
        assert _request(port, "GET", "/health")[0] == 200
    finally:
        server.close()
