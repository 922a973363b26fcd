"""The cross-tenant substitution attack against a real `dagy server` process, over HTTP.

Org B (a second organization from the account bootstrap) registers its own ZIP under the
code hash of org A's public flow and runs it, so its code is cached on the server's disk;
then A builds and deploys the genuine flow with the CLI. Whatever the server answered B,
A's runs execute A's code, also after a restart that keeps the disk cache.
"""

from __future__ import annotations

import json
import signal
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from artifact_harness import GREETER, build_zip
from artifact_zips import entries_of
from dagy_server import Server, dagy, free_port, ok

from dagy.application.use_cases.accounts import bootstrap
from dagy.entrypoints.container import build_container
from dagy.entrypoints.settings import DagySettings

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]


def http(url: str, key: str, method: str, path: str, body: bytes | dict | None = None,
         **query: str) -> tuple[int, dict]:
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    headers = {"Authorization": f"Bearer {key}",
               "Content-Type": "application/json" if isinstance(body, dict) else "application/zip"}
    target = url + path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    request = urllib.request.Request(target, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def finished(url: str, key: str, run_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, run = http(url, key, "GET", f"/runs/{run_id}")
        assert status == 200, run
        if run["status"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return run
        time.sleep(0.1)
    pytest.fail(f"run {run_id} did not finish in {timeout}s")


def run_greeter(url: str, key: str, name: str) -> dict:
    status, run = http(url, key, "POST", "/runs", {"deployment_name": "greeter",
                                                   "parameters": {"name": name}})
    assert status == 202, run
    return finished(url, key, run["run_id"])


def test_org_b_cannot_substitute_code_for_org_a_on_a_real_server(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "public_greeter.py").write_text(GREETER.replace("{marker}", "genuine"))
    port = free_port()
    server = Server(tmp_path, port)
    try:
        key_a = tomllib.loads((tmp_path / "home" / "profiles.toml").read_text())["local"]["api_key"]
        container = build_container(DagySettings(home=tmp_path / "home"), migrate=False)
        try:
            _, key_b = bootstrap(container.deps, "org-b")
        finally:
            container.close()
        _, hash_a = build_zip(tmp_path, GREETER.replace("{marker}", "genuine"))
        evil, _ = build_zip(tmp_path, GREETER.replace("{marker}", "evil"))

        # B: upload its ZIP and register it under A's code hash; if refused, register it as
        # what it is. Either way B's code now runs (and is cached) on the server.
        status, uploaded = http(server.url, key_b, "POST", "/artifacts", evil, flow_name="greeter")
        assert status == 201, uploaded
        claim = {"flow_name": "greeter", "flow_version": "1.0.0",
                 "artifact_uri": uploaded["artifact_uri"],
                 "flow_spec": json.loads(entries_of(evil)["flow_spec.json"])}
        status, answer = http(server.url, key_b, "POST", "/flows", {**claim, "code_hash": hash_a})
        assert status in (201, 422), answer
        if status == 422:
            assert set(answer) == {"error"} and "code_hash" in answer["error"]["message"]
            assert http(server.url, key_b, "POST", "/flows", claim)[0] == 201
        assert http(server.url, key_b, "POST", "/deployments", {
            "deployment_name": "greeter", "flow_name": "greeter",
            "flow_version": "1.0.0"})[0] == 201
        assert run_greeter(server.url, key_b, "b")["result"] == "evil b"

        # A: the genuine flow with the CLI, as a user deploys it
        artifact = ok(dagy(tmp_path, "build", "public_greeter.py:greeter", "--output-dir",
                           "dist")).strip()
        ok(dagy(tmp_path, "deploy", artifact, "--deployment", "greeter"))
        _, flow_a = http(server.url, key_a, "GET", "/flows/greeter")
        assert flow_a["code_hash"] == hash_a
        done = run_greeter(server.url, key_a, "a")
        assert (done["status"], done["result"]) == ("SUCCEEDED", "genuine a"), done

        code, _ = server.stop(signal.SIGTERM)
        assert code == 0, server.err.read_text()[-3000:]
        assert any((tmp_path / "home" / "cache" / "artifacts").rglob("public_greeter.py"))
        server = Server(tmp_path, port)
        assert run_greeter(server.url, key_a, "a")["result"] == "genuine a"
        assert run_greeter(server.url, key_b, "b")["result"] == "evil b"
    finally:
        server.close()
