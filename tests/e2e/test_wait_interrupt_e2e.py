"""`dagy run <deployment> --wait` as a user drives it: Ctrl-C says the run goes on and how to
reach it; `-v` shows the task runs as a local run does."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dagy_server import Server, dagy, free_port, ok, server_env

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

SLOW = textwrap.dedent('''
    import time
    from dagy import flow, task

    @task
    def nap() -> int:
        time.sleep(30)
        return 1

    @flow(name="napper", version="1")
    def napper():
        return nap()

    @task
    def quick(x: int) -> int:
        return x + 1

    @flow(name="quick", version="1")
    def quick_flow(x: int = 1):
        return quick(quick(x))
''')


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory):
    """One server with both flows deployed, as `napper` and `quick`."""
    workdir = tmp_path_factory.mktemp("waiting")
    (workdir / "fake_home").mkdir()
    (workdir / "slow_flows.py").write_text(SLOW)
    server = Server(workdir, free_port())
    try:
        for flow_name, deployment in (("napper", "napper"), ("quick_flow", "quick")):
            artifact = ok(dagy(workdir, "build", f"slow_flows.py:{flow_name}", "--output-dir",
                               "dist")).strip()
            ok(dagy(workdir, "deploy", artifact, "--deployment", deployment))
        yield workdir
    finally:
        server.close()


def test_ctrl_c_while_waiting_leaves_the_run_running_and_says_so(workdir: Path) -> None:
    waiting = subprocess.Popen(
        [sys.executable, "-m", "dagy.entrypoints.cli.main", "run", "napper", "--wait"],
        cwd=workdir, env=server_env(workdir), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "RUNNING" not in ok(dagy(workdir, "runs", "list")):
        time.sleep(0.2)
    waiting.send_signal(signal.SIGINT)
    out, err = waiting.communicate(timeout=20)
    assert waiting.returncode == 130, (out, err)
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: interrupted: run ") and "keeps going" in last, err
    assert "dagy runs cancel " in last and "Traceback" not in err
    assert "RUNNING" in ok(dagy(workdir, "runs", "list"))  # the run goes on


def test_verbose_wait_shows_the_task_runs(workdir: Path) -> None:
    shown = dagy(workdir, "run", "quick", "--wait", "-v", "-p", "x=2")
    assert ok(shown).strip() == "4"
    assert "TASK" in shown.stderr and shown.stderr.count("SUCCEEDED") >= 3, shown.stderr
    quiet = dagy(workdir, "run", "quick", "--wait")
    assert ok(quiet).strip() == "3" and "TASK" not in quiet.stderr
