"""`dagy runs logs RUN_ID --follow` against a real server: a task's print() shows while
the run is still going, and the command exits with the run's status."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dagy_server import Server, dagy, free_port, ok, server_env

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

FLOWS = textwrap.dedent('''
    import time
    from dagy import flow, get_run_logger, task

    @task
    def chatty() -> int:
        print("first line from chatty")
        time.sleep(2)
        get_run_logger().warning("logged by chatty")
        print("second line from chatty")
        return 1

    @flow(name="chatty", version="1")
    def chatty_flow():
        return chatty()

    @task
    def broken() -> int:
        raise ValueError("broken on purpose")

    @flow(name="broken", version="1")
    def broken_flow():
        return broken()
''')


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory):
    workdir = tmp_path_factory.mktemp("follow")
    (workdir / "fake_home").mkdir()
    (workdir / "log_flows.py").write_text(FLOWS)
    server = Server(workdir, free_port())
    try:
        for flow_name, deployment in (("chatty_flow", "chatty"), ("broken_flow", "broken")):
            artifact = ok(dagy(workdir, "build", f"log_flows.py:{flow_name}", "--output-dir",
                               "dist")).strip()
            ok(dagy(workdir, "deploy", artifact, "--deployment", deployment))
        yield workdir
    finally:
        server.close()


def _status(workdir: Path, run_id: str) -> str:
    return ok(dagy(workdir, "runs", "show", run_id, "--json"))


def test_follow_shows_a_print_before_the_run_ends_and_exits_0(workdir: Path) -> None:
    run_id = ok(dagy(workdir, "run", "chatty")).strip().split()[0]
    follower = subprocess.Popen(
        [sys.executable, "-m", "dagy.entrypoints.cli.main", "runs", "logs", run_id, "--follow"],
        cwd=workdir, env=server_env(workdir), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        seen: list[str] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = follower.stdout.readline()
            if not line:
                break
            seen.append(line)
            if "first line from chatty" in line:
                break
        assert any("chatty: first line from chatty" in s for s in seen), seen
        # the run is still going: the task sleeps 2 s after its first print
        assert '"status": "RUNNING"' in _status(workdir, run_id)
        out, err = follower.communicate(timeout=30)
    finally:
        if follower.poll() is None:
            follower.kill()
    assert follower.returncode == 0, (out, err)
    assert "chatty: second line from chatty" in out
    assert "WARNING chatty: logged by chatty" in out
    assert "run SUCCEEDED" in out


def test_follow_of_a_failed_run_exits_1(workdir: Path) -> None:
    run_id = ok(dagy(workdir, "run", "broken")).strip().split()[0]
    followed = subprocess.run(
        [sys.executable, "-m", "dagy.entrypoints.cli.main", "runs", "logs", run_id, "--follow"],
        cwd=workdir, env=server_env(workdir), capture_output=True, text=True, timeout=60)
    assert followed.returncode == 1, (followed.stdout, followed.stderr)
    assert "broken on purpose" in followed.stdout
    # the failed attempt's traceback is an ERROR line of the run's logs
    assert "Traceback (most recent call last)" in followed.stdout
    assert 'raise ValueError("broken on purpose")' in followed.stdout
    assert "Traceback" not in followed.stderr
    # ... and is kept on the task run: the API answers it and `runs show` prints it
    (task_run,) = json.loads(ok(dagy(workdir, "runs", "show", run_id, "--json")))["task_runs"]
    assert task_run["status"] == "FAILED"
    assert task_run["error_traceback"].endswith("ValueError: broken on purpose")
    assert 'raise ValueError("broken on purpose")' in task_run["error_traceback"]
    shown = ok(dagy(workdir, "runs", "show", run_id))
    assert "traceback of broken" in shown and "in broken" in shown
