"""A task that succeeded before a SIGKILL of `dagy server` is not executed again.

The docs promise durable resume: a run interrupted by a crash is taken back by the
restarted server, and the tasks whose success was already recorded are reused from the
store. Each task of the flow appends its name to a file, so the file is the witness of
how many times each task body ran.
"""

from __future__ import annotations

import textwrap
import time
import tomllib
from pathlib import Path

import pytest

from dagy.client import DagyClient
from dagy_server import Server, dagy, free_port, ok

pytestmark = pytest.mark.slow

FLOWS = textwrap.dedent('''
    import time
    from dagy import flow, task

    def _mark(path: str, name: str) -> None:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(name + "\\n")

    @task
    def first(path: str) -> str:
        _mark(path, "first")
        print("first says hello")
        return "one"

    @task
    def second(prev: str, path: str) -> str:
        _mark(path, "second")
        time.sleep(4)
        return prev + "-two"

    @task
    def third(prev: str, path: str) -> str:
        _mark(path, "third")
        return prev + "-three"

    @flow(name="chain", version="1")
    def chain(path: str):
        return third(second(first(path), path), path)
''')


@pytest.fixture
def workdir(tmp_path: Path, no_proxy) -> Path:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "chain_flows.py").write_text(FLOWS)
    return tmp_path


def _statuses(client: DagyClient, run_id: str) -> dict[str, str]:
    return {tr["task_name"]: tr["status"] for tr in client.task_runs(run_id)}


def test_a_task_succeeded_before_a_sigkill_runs_exactly_once(workdir: Path):
    port, servers = free_port(), []
    marks = workdir / "marks.txt"
    try:
        servers.append(Server(workdir, port, DAGY_LEASE_SECONDS="20"))
        artifact = ok(dagy(workdir, "build", "chain_flows.py", "--output-dir", "dist")).strip()
        ok(dagy(workdir, "deploy", artifact, "--deployment", "chain"))
        key = tomllib.loads((workdir / "home" / "profiles.toml").read_text())["local"]["api_key"]
        client = DagyClient(api_url=servers[0].url, api_key=key, timeout=10)
        run_id = client.trigger_run("chain", {"path": str(marks)}).run_id

        deadline = time.monotonic() + 30
        while _statuses(client, run_id).get("first") != "SUCCEEDED":
            assert time.monotonic() < deadline, _statuses(client, run_id)
            time.sleep(0.05)
        assert _statuses(client, run_id).get("third") != "SUCCEEDED"
        time.sleep(0.5)  # log lines are written every 0.25 s: at most that much may be lost
        servers[0].proc.kill()  # SIGKILL: no shutdown code runs
        servers[0].proc.wait(timeout=10)

        servers.append(Server(workdir, port, DAGY_LEASE_SECONDS="20"))
        deadline = time.monotonic() + 60
        run = client.get_run(run_id)
        while run.status not in ("SUCCEEDED", "FAILED", "CANCELLED"):
            assert time.monotonic() < deadline, (run.status, _statuses(client, run_id))
            time.sleep(0.1)
            run = client.get_run(run_id)
        assert run.status == "SUCCEEDED", run
        assert run.result == "one-two-three"
        lines = marks.read_text().split()
        assert lines.count("first") == 1, lines
        assert lines.count("third") == 1, lines
        assert lines.count("second") >= 1, lines  # in flight at the kill: at least once
        # the interrupted attempt's log lines survived the kill, and were not written twice
        messages = [line["message"] for line in client.logs(run_id)]
        assert sum("first says hello" in m for m in messages) == 1, messages
    finally:
        for server in servers:
            server.close()
