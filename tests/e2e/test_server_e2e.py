"""`dagy server` and the remote commands, as real processes on loopback.

One scenario walks the happy path (build, deploy, run --wait, runs/deployments
commands, pause -> 409, SIGTERM, restart keeping key and data); the other kills the
server with SIGKILL while runs execute and checks that every run still finishes, and
that tasks whose results were persisted before the kill are not executed again.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import textwrap
import time
import tomllib
from pathlib import Path

import pytest

from dagy.client import DagyClient
from dagy_server import Server, dagy, free_port, ok, one_line_error

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

FLOWS = textwrap.dedent('''
    from dagy import flow, task

    @task
    def double(x: int) -> int:
        return x * 2

    @task
    def add(a, b):
        return a + b

    @task
    def boom(x):
        raise RuntimeError(f"kaboom {x}")

    @flow(name="web_scraper", version="1.0.0")
    def web_scraper(n: int = 3, label: str = "x"):
        return {"label": label, "total": add(double(n), double(1))}

    @flow(name="explodes", version="1")
    def explodes(x: int = 1):
        return boom(double(x))
''')

SLEEPY = textwrap.dedent('''
    import time
    from dagy import flow, task

    def note(out, line):
        with open(out, "a", encoding="utf-8") as handle:
            handle.write(line + "\\n")

    @task
    def first(i: int, out: str) -> int:
        time.sleep(0.4)  # > the recorder's 0.25 s batching delay: the result gets persisted
        note(out, f"first {i}")
        return i

    @task
    def slow(i: int, out: str) -> int:
        time.sleep(3)
        note(out, f"slow {i}")
        return i * 10

    @flow(name="sleepy", version="1")
    def sleepy(i: int, out: str):
        return slow(first(i, out), out)
''')


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "my_flows.py").write_text(FLOWS)
    (tmp_path / "sleepy_flows.py").write_text(SLEEPY)
    return tmp_path


@pytest.fixture
def start(workdir: Path):
    """Start a server; every server started is killed at the end if still running."""
    servers: list[Server] = []

    def _start(port: int, *args: str, **env: str) -> Server:
        servers.append(Server(workdir, port, *args, **env))
        return servers[-1]

    yield _start
    for server in servers:
        server.close()


def build_and_deploy(workdir: Path, target: str, deployment: str) -> None:
    artifact = ok(dagy(workdir, "build", target, "--output-dir", "dist")).strip()
    assert artifact.endswith("artifact.zip")
    out = ok(dagy(workdir, "deploy", artifact, "--deployment", deployment))
    assert f"deployment: {deployment}" in out


def test_server_deploy_run_inspect_pause_stop_and_restart(workdir: Path, start) -> None:
    port = free_port()
    server = start(port)
    profiles = workdir / "home" / "profiles.toml"
    local = tomllib.loads(profiles.read_text())["local"]
    assert local["api_url"] == server.url and local["api_key"].startswith("dagy_")
    assert profiles.stat().st_mode & 0o077 == 0  # it holds a secret
    assert f"Dagy server listening on {server.url}" in server.out.read_text()

    build_and_deploy(workdir, "my_flows.py:web_scraper", "web-scraper")
    waited = dagy(workdir, "run", "web-scraper", "--param", "n=5", "--param", "label=02134",
                  "--wait", "--timeout", "60")
    assert json.loads(ok(waited)) == {"label": "02134", "total": 12}  # str param kept as text
    assert "SUCCEEDED" in waited.stderr

    run_id, status = ok(dagy(workdir, "run", "web-scraper", "-p", "n=1")).split()
    assert status == "QUEUED"
    run = DagyClient(api_url=server.url, api_key=local["api_key"]).get_run(run_id).wait(30, 0.1)
    assert run.status == "SUCCEEDED" and run.result == {"label": "x", "total": 4}

    listed = json.loads(ok(dagy(workdir, "runs", "list", "--json")))
    assert [r["status"] for r in listed] == ["SUCCEEDED", "SUCCEEDED"]
    assert listed[0]["run_id"] == run_id
    assert run_id in ok(dagy(workdir, "runs", "list", "--deployment", "web-scraper"))
    shown = ok(dagy(workdir, "runs", "show", run_id))
    assert "SUCCEEDED" in shown and "double" in shown and '"total": 4' in shown
    assert "run SUCCEEDED" in ok(dagy(workdir, "runs", "logs", run_id))
    one_line_error(dagy(workdir, "runs", "show", "no-such-run"), 2, "not found", "(HTTP 404)")
    one_line_error(dagy(workdir, "runs", "cancel", run_id), 2, "(HTTP 409)")

    build_and_deploy(workdir, "my_flows.py:explodes", "explodes")
    failed = dagy(workdir, "run", "explodes", "--wait", "--timeout", "60")
    assert failed.returncode == 1 and failed.stdout == ""
    assert failed.stderr.strip().splitlines()[-1].startswith("error: run ")
    assert "FAILED" in failed.stderr and "kaboom" in failed.stderr

    assert ok(dagy(workdir, "deployments", "pause", "web-scraper")).split() == ["web-scraper",
                                                                                "PAUSED"]
    one_line_error(dagy(workdir, "run", "web-scraper"), 2, "paused", "(HTTP 409)")
    assert "PAUSED" in ok(dagy(workdir, "deployments", "list"))
    ok(dagy(workdir, "deployments", "resume", "web-scraper"))
    one_line_error(dagy(workdir, "runs", "list", DAGY_API_KEY="dagy_nope_nope"), 2, "(HTTP 401)")
    one_line_error(dagy(workdir, "runs", "list", DAGY_API_URL=f"http://127.0.0.1:{free_port()}"),
                   2, "cannot reach")

    code, took = server.stop(signal.SIGTERM)
    assert code == 0 and took < 5, server.err.read_text()[-3000:]
    before = profiles.read_bytes()
    restarted = start(port)
    assert profiles.read_bytes() == before  # same key, same URL: the file is not rewritten
    assert run_id in ok(dagy(workdir, "runs", "list"))
    code, _ = restarted.stop(signal.SIGINT)
    assert code == 0


def _persisted_successes(db: Path) -> tuple[set[tuple[int, str]], set[int]]:
    """((i, task name) of task runs stored as SUCCEEDED, i of runs stored as RUNNING)."""
    with sqlite3.connect(db) as conn:
        done = conn.execute("SELECT r.parameters, t.task_name FROM task_runs t JOIN runs r "
                            "ON r.run_id = t.run_id WHERE t.status = 'SUCCEEDED'").fetchall()
        running = conn.execute("SELECT parameters FROM runs WHERE status = 'RUNNING'").fetchall()
    return ({(json.loads(p)["i"], name) for p, name in done},
            {json.loads(p)["i"] for (p,) in running})


def test_runs_survive_a_killed_server(workdir: Path, start) -> None:
    port, out = free_port(), workdir / "executions.txt"
    server = start(port, DAGY_LEASE_SECONDS="2")
    build_and_deploy(workdir, "sleepy_flows.py", "sleepy")
    key = tomllib.loads((workdir / "home" / "profiles.toml").read_text())["local"]["api_key"]
    client = DagyClient(api_url=server.url, api_key=key, timeout=10)
    run_ids = [client.trigger_run("sleepy", {"i": i, "out": str(out)}).run_id for i in range(5)]

    deadline = time.monotonic() + 20
    while not (out.exists() and "first" in out.read_text()):
        assert time.monotonic() < deadline, "no task started"
        time.sleep(0.05)
    time.sleep(0.3)  # let the recorder's write of `first` land
    assert any(r.status == "RUNNING" for r in client.list_runs(limit=10))
    server.proc.kill()  # SIGKILL: no shutdown code runs
    server.proc.wait(timeout=10)
    persisted, running_at_kill = _persisted_successes(workdir / "home" / "dagy.db")
    assert running_at_kill, "no run was RUNNING when the server died"

    start(port, "--tick-seconds", "1", DAGY_LEASE_SECONDS="2")
    deadline = time.monotonic() + 45
    while True:
        runs = {r.run_id: r for r in client.list_runs(deployment_name="sleepy", limit=10)}
        if all(runs[r].status == "SUCCEEDED" for r in run_ids):
            break
        stuck = {r.run_slug: r.status for r in runs.values() if r.status != "SUCCEEDED"}
        assert time.monotonic() < deadline, f"runs not finished: {stuck}"
        time.sleep(0.25)
    assert sorted(client.get_run(r).result for r in run_ids) == [0, 10, 20, 30, 40]

    lines = out.read_text().splitlines()
    for i in range(5):
        for task in ("first", "slow"):
            count = lines.count(f"{task} {i}")
            assert count >= 1, (task, i, lines)
            if (i, task) in persisted:
                assert count == 1, f"{task} {i} ran again although its result was stored"
    resumed = {i for i in running_at_kill if (i, "first") in persisted}
    assert resumed, f"no run resumed after a stored task: {persisted}, {running_at_kill}"


def test_schedules_fire_on_the_server_tick_and_stop_when_disabled(workdir: Path, start) -> None:
    server = start(free_port(), "--tick-seconds", "1")
    build_and_deploy(workdir, "my_flows.py:web_scraper", "web-scraper")
    created = ok(dagy(workdir, "schedules", "create", "--deployment", "web-scraper",
                      "--interval", "1", "--param", "n=4"))
    schedule_id = created.split()[0]
    listed = json.loads(ok(dagy(workdir, "schedules", "list", "--json")))
    assert [s["schedule_id"] for s in listed] == [schedule_id]
    slots = ok(dagy(workdir, "schedules", "preview", schedule_id, "-n", "3")).splitlines()
    assert len(slots) == 3 and all(line.split()[1].endswith("Z") for line in slots)

    def scheduled_runs() -> list[dict]:
        runs = json.loads(ok(dagy(workdir, "runs", "list", "--json", "--limit", "100")))
        return [r for r in runs if r.get("deployment_name") == "web-scraper"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and sum(
            r["status"] == "SUCCEEDED" for r in scheduled_runs()) < 2:
        time.sleep(0.5)
    done = [r for r in scheduled_runs() if r["status"] == "SUCCEEDED"]
    assert len(done) >= 2 and all(r["parameters"] == {"n": 4, "label": "x"} for r in done)

    ok(dagy(workdir, "schedules", "disable", schedule_id))
    time.sleep(1.5)  # a tick that was already running may still finish
    count = len(scheduled_runs())
    time.sleep(2.5)
    assert len(scheduled_runs()) == count
    assert server.stop()[0] == 0
