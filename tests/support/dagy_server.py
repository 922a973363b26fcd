"""A real `dagy server` process on loopback and the `dagy` CLI as subprocesses.

Shared by every test that drives the product as an outsider would: the server runs in
its own process with its own DAGY_HOME, output goes to files (no pipe can fill up), and
every wait is bounded in time.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(workdir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("DAGY_") and k.lower() not in ("http_proxy", "https_proxy",
                                                              "all_proxy")}
    env.update(DAGY_HOME=str(workdir / "home"), HOME=str(workdir / "fake_home"),
               no_proxy="127.0.0.1,localhost", **extra)
    return env


class Server:
    """A `dagy server` subprocess; its output goes to files so that no pipe fills up."""

    def __init__(self, workdir: Path, port: int, *args: str, **env: str) -> None:
        self.workdir, self.port, self.url = workdir, port, f"http://127.0.0.1:{port}"
        self.out, self.err = workdir / f"server-{time.monotonic_ns()}.out", workdir / "server.err"
        with open(self.out, "w") as out, open(self.err, "a") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "dagy.entrypoints.cli.main", "server", "--port", str(port),
                 *args], cwd=workdir, env=server_env(workdir, **env), stdout=out, stderr=err)
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"server exited: {self.err.read_text()[-3000:]}"
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"server not healthy after {timeout}s: {self.err.read_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10) -> tuple[int, float]:
        started = time.monotonic()
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=timeout)
        return code, time.monotonic() - started

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


def dagy(workdir: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dagy.entrypoints.cli.main", *args], cwd=workdir,
                          env=server_env(workdir, **env), capture_output=True, text=True, timeout=60)


def ok(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr)
    return proc.stdout


def one_line_error(proc: subprocess.CompletedProcess, code: int, *fragments: str) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


