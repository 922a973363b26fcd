"""What `dagy server` writes to stderr: its start-up line, one line per request at debug
(none at the default level) and each run's claimed and finished lines."""

from __future__ import annotations

import re
import signal
import textwrap
import time
import tomllib
from pathlib import Path

import pytest

from dagy import __version__
from dagy.client import DagyClient
from dagy_server import Server, dagy, free_port, ok

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

FLOW = textwrap.dedent('''
    from dagy import flow, task

    @task
    def double(x: int) -> int:
        return x * 2

    @flow(name="doubler", version="2.1")
    def doubler(n: int = 3):
        return double(n)
''')
LINE = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} "  # the asctime that starts every log line


def read_when(path: Path, pattern: str, timeout: float = 10) -> str:
    """The file's text once `pattern` occurs in it (a run's finished line is written
    just after the status the client sees is committed)."""
    deadline = time.monotonic() + timeout
    while not re.search(pattern, text := path.read_text(), re.MULTILINE):
        assert time.monotonic() < deadline, f"no {pattern!r} in:\n{text[-3000:]}"
        time.sleep(0.05)
    return text


def test_server_logs_startup_requests_and_runs(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "doubler.py").write_text(FLOW)
    port = free_port()
    server = Server(tmp_path, port, "--log-level", "debug")
    try:
        server_id = (tmp_path / "home" / "server-id").read_text().strip()
        artifact = ok(dagy(tmp_path, "build", "doubler.py", "--output-dir", "dist")).strip()
        ok(dagy(tmp_path, "deploy", artifact, "--deployment", "doubler"))
        run_id, status = ok(dagy(tmp_path, "run", "doubler", "-p", "n=4")).split()
        assert status == "QUEUED"
        key = tomllib.loads((tmp_path / "home" / "profiles.toml").read_text())["local"]["api_key"]
        run = DagyClient(api_url=server.url, api_key=key).get_run(run_id).wait(30, 0.1)
        assert run.status == "SUCCEEDED" and run.result == 8

        log = read_when(server.err, rf"run {run_id} finished SUCCEEDED in \d+ ms$")
        assert re.search(
            rf"^{LINE}INFO dagy.server: dagy {re.escape(__version__)} listening on "
            rf"{re.escape(server.url)}; database sqlite:///\S+dagy\.db; queue sql; "
            rf"artifacts \S+; DAGY_HOME {re.escape(str(tmp_path / 'home'))}; "
            rf"server id {server_id}$", log, re.MULTILINE), log
        assert re.search(rf"^{LINE}DEBUG dagy.api.requests: POST /runs 202 [\d.]+ ms$",
                         log, re.MULTILINE), log
        assert re.search(rf"^{LINE}DEBUG dagy.api.requests: GET /health 200 [\d.]+ ms$",
                         log, re.MULTILINE), log
        assert re.search(rf"^{LINE}INFO dagy.executor: run {run_id} claimed: flow doubler "
                         r"version 2.1$", log, re.MULTILINE), log
        assert server.stop(signal.SIGTERM)[0] == 0

        logged_before = len(server.err.read_text())
        quiet = Server(tmp_path, port)  # default level: info
        try:
            second, _ = ok(dagy(tmp_path, "run", "doubler")).split()
            read_when(server.err, rf"run {second} finished SUCCEEDED")
            log = server.err.read_text()[logged_before:]
            assert "INFO dagy.server: dagy " in log and f"run {second} claimed" in log
            assert "dagy.api.requests" not in log and "DEBUG" not in log, log
        finally:
            quiet.close()
    finally:
        server.close()
