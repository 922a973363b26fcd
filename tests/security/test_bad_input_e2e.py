"""Raw hostile bytes over HTTP against a real `dagy server` (embedded SQLite default).

Python's json module would normalise these attacks (NaN, Infinity, "\\ud800" escapes,
deep nesting), so they are sent as bytes. Each must answer a 4xx in the error shape,
and afterwards the lists that broke before (GET /schedules, /deployments, /runs) still
answer 200 with nothing new in them.
"""

from __future__ import annotations

import base64
import http.client
import json
import textwrap
import tomllib
from pathlib import Path

import pytest

from dagy_server import Server, dagy, free_port, ok

pytestmark = pytest.mark.slow

FLOWS = textwrap.dedent('''
    from dagy import flow, task

    @task
    def echo(x: float, y=None):
        return [x, y]

    @flow(name="raw_target", version="1.0.0")
    def raw_target(x: float = 1.0, y=None):
        return echo(x, y)
''')
DEEP = b"[" * 500 + b"]" * 500
DEEP_CURSOR = base64.urlsafe_b64encode(b"[" * 1400 + b"]" * 1400).decode().rstrip("=")


def request(server: Server, key: str, method: str, path: str,
            body: bytes | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        headers = {"Authorization": f"Bearer {key}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.fixture
def server(tmp_path: Path):
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "raw_flows.py").write_text(FLOWS)
    running = Server(tmp_path, free_port())
    try:
        artifact = ok(dagy(tmp_path, "build", "raw_flows.py:raw_target", "--output-dir",
                           "dist")).strip()
        ok(dagy(tmp_path, "deploy", artifact, "--deployment", "raw"))
        yield running
    finally:
        running.close()


def test_raw_attacks_answer_4xx_and_the_lists_still_render(server, tmp_path):
    key = tomllib.loads((tmp_path / "home" / "profiles.toml").read_text())["local"]["api_key"]
    status, created = request(server, key, "POST", "/schedules",
                              b'{"deployment_name": "raw", "mode": "manual"}')
    assert status == 201, created
    schedule_id = json.loads(created)["schedule_id"]
    before = {path: request(server, key, "GET", path)[1]
              for path in ("/schedules", "/deployments/raw", "/runs", "/sensors")}
    attacks = [
        ("PATCH", "/deployments/raw", b'{"parameters": {"y": ' + DEEP + b"}}"),
        ("POST", "/schedules", b'{"deployment_name": "raw", "mode": "manual", '
                               b'"parameters": {"y": ' + DEEP + b"}}"),
        ("PATCH", f"/schedules/{schedule_id}", b'{"parameters": {"y": NaN}}'),
        ("POST", "/sensors", b'{"name": "s", "sensor_type": "webhook", "deployment_name": '
                             b'"raw", "flow_params": {"y": ' + DEEP + b"}}"),
        ("POST", "/runs", b'{"deployment_name": "raw", "parameters": {"x": Infinity}}'),
        ("POST", "/runs", b'{"deployment_name": "raw", "parameters": {"x": 1e999999}}'),
        ("POST", "/runs", b'{"deployment_name": "raw", "parameters": {"y": "\\ud800"}}'),
        ("POST", "/runs", b'{"deployment_name": "raw", "parameters": {"\\udfff": 1}}'),
        ("POST", "/runs", b'{"deployment_name": NaN}'),
        ("POST", "/runs", b'{"deployment_name": "raw", "deployment_name": "raw"}'),
        ("GET", "/runs?created_after=9999-12-31T23:59:59-23:59", None),
        ("GET", "/runs?created_before=0.5", None),
        ("GET", f"/runs?cursor={DEEP_CURSOR}", None),
        ("GET", f"/schedules/{schedule_id}/preview?after=9999-12-31T23:59:59-23:59", None),
    ]
    for method, path, body in attacks:
        status, answer = request(server, key, method, path, body)
        assert 400 <= status < 500, (method, path[:60], status, answer[:300])
        error = json.loads(answer)["error"]
        assert set(error) == {"code", "message", "details"} and error["message"], answer
    for path, first in before.items():
        status, now = request(server, key, "GET", path)
        assert status == 200, (path, now[:300])
        assert now == first, path  # nothing was written
    assert json.loads(before["/runs"])["items"] == []
