"""A new user's terminal: bare environment, the venv's bin first on PATH, `dagy server`
started from a shell. Shared by the README quickstart test and the docs test, which both
run the docs' commands verbatim instead of calling the CLI through Python."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


def commands(block: str) -> list[str]:
    """Each command of a bash block (`\\` continuations joined), its trailing `# comment`
    dropped."""
    joined = block.replace("\\\n", " ")
    lines = [re.sub(r"\s+#\s.*$", "", line).strip() for line in joined.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def terminal(home: Path, **extra: str) -> dict[str, str]:
    """What `source .venv/bin/activate` gives in a fresh account: no DAGY_* variable, no
    proxy, HOME of its own (plus `extra`, e.g. DAGY_HOME)."""
    return {"PATH": f"{VENV_BIN}:/usr/bin:/bin", "HOME": str(home),
            "no_proxy": "127.0.0.1,localhost", "LC_ALL": "C.UTF-8", **extra}


def start_server(cwd: Path, env: dict[str, str], port: int, logs: Path,
                 timeout: float = 30) -> subprocess.Popen:
    """`dagy server --port PORT` run through bash from `cwd`, healthy within `timeout`;
    its stdout/stderr go to logs/server.out and logs/server.err."""
    server = spawn_server(cwd, env, port, logs)
    wait_healthy(server, port, logs, timeout)
    return server


def spawn_server(cwd: Path, env: dict[str, str], port: int, logs: Path) -> subprocess.Popen:
    """Start `dagy server` without waiting for it (it takes seconds to come up)."""
    with open(logs / "server.out", "w") as out, open(logs / "server.err", "w") as err:
        return subprocess.Popen(["bash", "-c", f"exec dagy server --port {port}"], cwd=cwd,
                                env=env, stdout=out, stderr=err)


def wait_healthy(server: subprocess.Popen, port: int, logs: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            raise AssertionError((logs / "server.err").read_text()[-3000:])
        if time.monotonic() > deadline:
            stop_server(server)
            raise AssertionError(f"server not healthy in {timeout} s")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return
        except OSError:
            time.sleep(0.1)


def stop_server(*servers: subprocess.Popen) -> None:
    """SIGTERM every server first, then wait for each (they shut down in parallel)."""
    running = [server for server in servers if server.poll() is None]
    for server in running:
        server.terminate()
    for server in running:
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
