"""An idle `dagy server` (consumers backed off to their 1 s cap) still starts a run
triggered over the API at once: the enqueuing commit wakes the waiting consumer."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest

from dagy.client import DagyClient
from dagy_server import Server, dagy, free_port, ok

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

FLOW = '''
from dagy import flow, task

@task
def one() -> int:
    return 1

@flow(name="quick", version="1")
def quick():
    return one()
'''


def test_a_run_triggered_on_an_idle_server_starts_promptly(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "quick.py").write_text(FLOW)
    server = Server(tmp_path, free_port())
    try:
        artifact = ok(dagy(tmp_path, "build", "quick.py:quick", "--output-dir", "dist")).strip()
        ok(dagy(tmp_path, "deploy", artifact, "--deployment", "quick"))
        key = tomllib.loads((tmp_path / "home" / "profiles.toml").read_text())["local"]["api_key"]
        client = DagyClient(api_url=server.url, api_key=key, timeout=10)
        time.sleep(4)  # idle long enough for every back-off to reach its cap
        started = time.monotonic()
        run_id = client.trigger_run("quick", {}).run_id
        status = "QUEUED"
        while status == "QUEUED" and time.monotonic() - started < 10:
            status = client.get_run(run_id).status
            time.sleep(0.02)
        assert status != "QUEUED"
        assert time.monotonic() - started < 2  # woken, not found by a later poll
    finally:
        server.close()
