"""A real `dagy server --demo` serving the built web UI (ui/out) on a free loopback port,
for the browser tests and the docs screenshots.

Why a process and not an in-process app: the browser must see exactly what a person
sees (the CLI's start-up, the demo deploy, the UI files with their CSP). The build is
copied at start so that a rebuild of ui/out during a test session changes nothing under
a running browser. Every wait is bounded; the process is killed at the end.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from dagy_server import free_port, server_env  # tests/support (on sys.path via tests/conftest.py)

ROOT = Path(__file__).resolve().parents[3]
UI_BUILD = ROOT / "ui" / "out"
DAGY_CLI = ROOT / ".venv" / "bin" / "dagy"
ADMIN_EMAIL = "admin@localhost"
ADMIN_PASSWORD = "browser tests admin password 42"
HEALTH_ATTEMPTS, HEALTH_SECONDS = 800, 120.0  # a loaded 2-core CI machine starts slowly


class HarnessError(RuntimeError):
    """The harness cannot start: what is missing and the command that fixes it."""


def require_build(build: Path = UI_BUILD) -> Path:
    if not (build / "index.html").is_file():
        raise HarnessError(f"no web UI build at {build}/index.html: run `make ui` first "
                           "(or `cd ui && npm run build`)")
    return build


def _cli() -> list[str]:
    return [str(DAGY_CLI)] if DAGY_CLI.exists() else [sys.executable, "-m",
                                                       "dagy.entrypoints.cli.main"]


@dataclass
class UiServer:
    """The running server: its URL, the admin's credentials, a signed-in API client."""

    workdir: Path
    port: int
    proc: subprocess.Popen
    log: Path
    admin_email: str = ADMIN_EMAIL
    admin_password: str = ADMIN_PASSWORD
    _api: httpx.Client | None = field(default=None, repr=False)
    people: dict[str, tuple[str, str]] = field(default_factory=dict)  # role -> (email, pw)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ui_url(self) -> str:
        return self.base_url + "/ui"

    @property
    def home(self) -> Path:
        """The server's DAGY_HOME: its profile lets `dagy` commands (env()) act as admin."""
        return self.workdir / "home"

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a `dagy` command talking to this server (its profile)."""
        return server_env(self.workdir, **extra)

    def dagy(self, *args: str, timeout: float = 90) -> str:
        """Run a `dagy` command against this server; its stdout, or a failure."""
        done = subprocess.run([*_cli(), *args], cwd=self.workdir, env=self.env(),
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise AssertionError(f"dagy {' '.join(args)} exited {done.returncode}:\n"
                                 f"{done.stdout}\n{done.stderr}")
        return done.stdout

    def deploy(self, source: str, flow: str, deployment: str) -> str:
        """Write `source` (a Python file of flows) into the server's directory and
        `dagy deploy` its `flow` as `deployment`; the deployment's name."""
        path = self.workdir / f"{deployment.replace('-', '_')}_flows.py"
        path.write_text(source, encoding="utf-8")
        self.dagy("deploy", f"{path}:{flow}", "--deployment", deployment)
        return deployment

    @property
    def api(self) -> httpx.Client:
        """An httpx client signed in as the admin (POST /auth/login), for seeding."""
        if self._api is None:
            client = httpx.Client(base_url=self.base_url, timeout=20, trust_env=False)
            answer = client.post("/auth/login", json={"email": self.admin_email,
                                                      "password": self.admin_password})
            answer.raise_for_status()
            client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
            self._api = client
        return self._api

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 60) -> None:
        """Until the server's output holds `text` (e.g. the demo run's 'demo: run ')."""
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"{text!r} not in the server's output after {timeout}s:\n"
                                     f"{self.output()[-3000:]}")
            time.sleep(0.1)

    def close(self) -> None:
        if self._api is not None:
            self._api.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start_ui_server(workdir: Path, *, demo: bool = True, build: Path = UI_BUILD,
                    **settings: str) -> UiServer:
    """Copy the build (ui/out), start `dagy server [--demo]` on a free port, wait until
    healthy. `settings` are more DAGY_* variables of the server."""
    build = shutil.copytree(require_build(build), workdir / "ui-out")
    (workdir / "fake_home").mkdir(exist_ok=True)
    port = free_port()
    env = server_env(workdir, DAGY_UI_DIR=str(build), DAGY_ADMIN_PASSWORD=ADMIN_PASSWORD,
                     DAGY_LOGIN_ATTEMPTS_PER_MINUTE="0",  # tests sign in often, from one IP
                     DAGY_ACCESS_TOKEN_TTL_SECONDS="7200", **settings)
    log = workdir / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([*_cli(), "server", "--port", str(port),
                                 *(["--demo"] if demo else [])],
                                cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = UiServer(workdir, port, proc, log)
    try:
        _wait_healthy(server)
    except BaseException:
        server.close()
        raise
    return server


def _wait_healthy(server: UiServer) -> None:
    deadline = time.monotonic() + HEALTH_SECONDS
    for _ in range(HEALTH_ATTEMPTS):
        if server.proc.poll() is not None:
            raise HarnessError(f"dagy server exited with {server.proc.returncode}:\n"
                               f"{server.output()[-3000:]}")
        try:
            if httpx.get(server.base_url + "/health", timeout=1, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            break
        time.sleep(0.15)
    raise HarnessError(f"dagy server not healthy on {server.base_url} after "
                       f"{HEALTH_SECONDS:.0f}s:\n{server.output()[-3000:]}")


def person_of_role(server: UiServer, role: str) -> tuple[str, str]:
    """A person with `role` in the admin's org, made once per server the way a person
    joins: the admin invites (POST /orgs/{org}/invitations), the invitee accepts with a
    password (POST /invitations/{token}/accept). Returns (email, password)."""
    if role not in server.people:
        org = server.api.get("/me").raise_for_status().json()["org_id"]
        email, password = f"{role}@example.com", f"{role} password for browser tests"
        invited = server.api.post(f"/orgs/{org}/invitations", json={"email": email, "role": role})
        invited.raise_for_status()
        accepted = httpx.post(f"{server.base_url}/invitations/{invited.json()['token']}/accept",
                              json={"password": password}, timeout=20, trust_env=False)
        accepted.raise_for_status()
        server.people[role] = (email, password)
    return server.people[role]


def api_key_of_role(server: UiServer, role: str, name: str | None = None) -> str:
    """A new API key of `role` (POST /api-keys as the admin); the key itself."""
    answer = server.api.post("/api-keys", json={"name": name or f"browser-{role}-{time.time_ns()}",
                                                "role": role})
    answer.raise_for_status()
    return answer.json()["api_key"]
