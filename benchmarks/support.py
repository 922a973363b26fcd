"""What the benchmarks that drive a real `dagy server` share: a free loopback port,
polling until a condition holds, JSON calls to the API, the server's health, the server
itself (start, wait until healthy, stop) and, for the UI benchmarks, the built UI and
the sign-in form in chromium. One copy, so a change to how a server starts or a request
is made is made once.

The benchmarks run as scripts (`python benchmarks/x.py`), so benchmarks/ is on sys.path
and they import this module as `support`.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "bench-password-4711"
EMAIL = "admin@localhost"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError("condition not met in time")


def call(url: str, token: str | None = None, body: dict | None = None,
         method: str | None = None) -> dict:
    """The JSON answer of one API call: POST when there is a body, else GET (or `method`)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers=headers,
                                 method=method or ("POST" if data else "GET"))
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def healthy(api: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api}/health", timeout=1) as resp:
            return resp.status == 200
    except OSError:
        return False


def built_ui() -> Path:
    """The built web UI (ui/out, or DAGY_UI_DIR) and chromium, or exit saying what is missing."""
    ui_dir = Path(os.environ.get("DAGY_UI_DIR") or ROOT / "ui" / "out")
    if not (ui_dir / "index.html").is_file():
        sys.exit(f"no built web UI in {ui_dir}: run `make ui` first")
    if not Path(CHROMIUM).is_file():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")
    return ui_dir


class Server:
    """`dagy server` on `port` with DAGY_HOME=`home` (and `env` on top of os.environ),
    healthy once started; its output in DAGY_HOME/server-<n>.log, or nowhere with
    log=False."""

    def __init__(self, home: Path, port: int, *extra: str, env: dict[str, str] | None = None,
                 log: bool = True, timeout: float = 60) -> None:
        self.env = {**os.environ, "DAGY_HOME": str(home), **(env or {})}
        self.api = f"http://127.0.0.1:{port}"
        self.log = open(home / f"server-{len(list(home.glob('server-*.log')))}.log", "w") if log else None
        out = self.log or subprocess.DEVNULL
        self.process = subprocess.Popen([str(BIN / "dagy"), "server", "--port", str(port), *extra],
                                        env=self.env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: healthy(self.api) or self.process.poll() is not None, timeout)
        except TimeoutError:
            self.stop()
            raise
        if self.process.poll() is not None:
            where = f": see {self.log.name}" if self.log else ""
            self.stop()
            sys.exit(f"dagy server exited with {self.process.returncode}{where}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.log and not self.log.closed:
            self.log.close()


def ui_server(home: Path, port: int, ui_dir: Path, *extra: str) -> Server:
    """A server of the built UI whose admin signs in with EMAIL and PASSWORD."""
    return Server(home, port, *extra, env={"DAGY_ADMIN_PASSWORD": PASSWORD, "DAGY_UI_DIR": str(ui_dir)})


def sign_in(page, base: str) -> None:
    """Signs `page` in through the sign-in form, as a person would, and waits for the Runs page."""
    page.goto(f"{base}/ui/login/")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    page.locator("form[aria-label='Sign in with email'] button[type=submit]").click()
    page.wait_for_url("**/ui/runs/**", timeout=30_000)
