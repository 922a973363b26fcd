"""A real `dagy server`: webhook credentials never reach the database file in clear,
signatures are still checked (the secret is decrypted to verify), across a restart too,
rows of an earlier version are converted at start, and DAGY_HOME is private."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
import tomllib
from pathlib import Path

import httpx
import pytest
from alembic import command
from dagy_server import Server, dagy, free_port, ok, one_line_error

from dagy.adapters.sql.engine import make_engine
from dagy.adapters.sql.migrate import alembic_config
from dagy.domain.schedules.sensors import sign

pytestmark = pytest.mark.slow

FLOWS = '''
from dagy import flow, task

@task
def double(n: int) -> int:
    return n * 2

@flow(name="hooked", version="1")
def hooked(n: int = 1):
    return double(n)
'''
SECRET = "e2e-hmac-secret-7Qw"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch) -> Path:
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "hook_flows.py").write_text(FLOWS)
    return tmp_path


def start(workdir: Path, servers: list) -> Server:
    servers.append(Server(workdir, free_port()))
    return servers[-1]


@pytest.fixture
def servers():
    running: list[Server] = []
    yield running
    for server in running:
        server.close()


def client(server: Server, home: Path) -> httpx.Client:
    key = tomllib.loads((home / "profiles.toml").read_text())["local"]["api_key"]
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"},
                        timeout=10, trust_env=False)


def deploy(workdir: Path) -> None:
    artifact = ok(dagy(workdir, "build", "hook_flows.py:hooked", "--output-dir", "dist")).strip()
    ok(dagy(workdir, "deploy", artifact, "--deployment", "hooked"))


def database_bytes(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(home.iterdir()) if p.name.startswith("dagy.db"))


def fire(http: httpx.Client, token: str, n: int, secret: str | None) -> httpx.Response:
    body = json.dumps({"n": n}).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Dagy-Signature"] = sign(secret, body)
    return http.post(f"/hooks/{token}", content=body, headers=headers)


def wait_result(http: httpx.Client, run_id: str, timeout: float = 30) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = http.get(f"/runs/{run_id}").json()
        if run["status"] in ("SUCCEEDED", "FAILED"):
            assert run["status"] == "SUCCEEDED", run
            return run["result"]
        time.sleep(0.1)
    pytest.fail(f"run {run_id} did not finish in {timeout}s")


def modes(home: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in [home, *home.iterdir()]
            if p == home or p.name.startswith(("dagy.db", "profiles.toml", "secret.key"))}


def assert_refused(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_webhook_credentials_are_not_stored_in_clear_and_home_is_private(workdir, servers):
    server, home = start(workdir, servers), workdir / "home"
    deploy(workdir)
    with client(server, home) as http:
        created = http.post("/sensors", json={
            "name": "on-push", "sensor_type": "webhook", "deployment_name": "hooked",
            "config": {"hmac_secret": SECRET, "parameter_mapping": {"n": "$.n"}}})
        assert created.status_code == 201, created.text
        sensor = created.json()
        token, sensor_id = sensor["webhook_token"], sensor["sensor_id"]
        reads = [http.get(f"/sensors/{sensor_id}").text, http.get("/sensors").text,
                 http.post(f"/sensors/{sensor_id}/disable").text,
                 http.post(f"/sensors/{sensor_id}/enable").text]
        assert all(token not in text and SECRET not in text for text in reads)
        assert json.loads(reads[0])["config"]["has_hmac_secret"] is True
        stored = database_bytes(home)
        assert sensor_id.encode() in stored  # the row is there...
        assert token.encode() not in stored and SECRET.encode() not in stored  # ...not these

        accepted = fire(http, token, 21, SECRET)
        assert accepted.status_code == 202, accepted.text
        assert wait_result(http, accepted.json()["run_id"]) == 42
        assert_refused(fire(http, token, 1, "wrong secret"), 401)
        assert_refused(fire(http, token, 1, None), 401)
        assert_refused(fire(http, "not-a-token", 1, SECRET), 404)
        assert len(http.get("/runs").json()["items"]) == 1  # the refused ones ran nothing
        assert SECRET.encode() not in database_bytes(home)

    found = modes(home)
    assert found.pop("home") == 0o700
    assert {"dagy.db", "profiles.toml", "secret.key"} <= set(found)
    assert set(found.values()) == {0o600}, found

    server.stop()
    server = start(workdir, servers)  # the key file lets the restarted server decrypt
    with client(server, home) as http:
        again = fire(http, token, 5, SECRET)
        assert again.status_code == 202, again.text
        assert wait_result(http, again.json()["run_id"]) == 10
        assert_refused(fire(http, token, 1, "wrong secret"), 401)


def test_an_earlier_versions_home_and_rows_are_converted_at_start(workdir, servers):
    server, home = start(workdir, servers), workdir / "home"
    deploy(workdir)
    server.stop()
    legacy_token = "legacy-plaintext-token-Xv93kQ2mNn7pL0aZ"
    legacy_secret = "legacy-plaintext-secret-4Rt"
    engine = make_engine(f"sqlite:///{home / 'dagy.db'}")
    try:  # back to the schema before credentials were protected, with a row of that time
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0003")
    finally:
        engine.dispose()
    with sqlite3.connect(home / "dagy.db") as conn:
        [org_id] = conn.execute("SELECT org_id FROM deployments").fetchone()
        conn.execute(
            "INSERT INTO sensors (sensor_id, org_id, name, sensor_type, deployment_name, "
            "flow_name, flow_params, config, enabled, webhook_token, version) VALUES "
            "('legacy', ?, 'old', 'webhook', 'hooked', 'hooked', '{}', ?, 1, ?, 0)",
            (org_id, json.dumps({"hmac_secret": legacy_secret, "parameter_mapping": {"n": "$.n"}}),
             legacy_token))
    os.chmod(home, 0o755)  # as earlier versions left them
    for path in home.iterdir():
        if path.is_file():
            os.chmod(path, 0o644)
    assert legacy_secret.encode() in database_bytes(home)

    server = start(workdir, servers)
    found = modes(home)
    assert found.pop("home") == 0o700 and set(found.values()) == {0o600}, found
    stored = database_bytes(home)
    assert legacy_token.encode() not in stored and legacy_secret.encode() not in stored
    with client(server, home) as http:
        accepted = fire(http, legacy_token, 4, legacy_secret)  # the old token still works
        assert accepted.status_code == 202, accepted.text
        assert wait_result(http, accepted.json()["run_id"]) == 8
        assert_refused(fire(http, legacy_token, 4, None), 401)
        shown = http.get("/sensors/legacy").text
        assert legacy_secret not in shown and json.loads(shown)["config"]["has_hmac_secret"]


def test_a_malformed_server_key_stops_the_start_with_one_line(workdir):
    started = dagy(workdir, "server", "--port", str(free_port()), DAGY_SECRET_KEY="short")
    one_line_error(started, 2, "32 random bytes")
    assert not (workdir / "home" / "dagy.db").exists()  # checked before anything is written
