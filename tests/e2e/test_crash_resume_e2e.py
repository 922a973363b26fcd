"""A `dagy server` killed with SIGKILL takes its interrupted runs back as soon as it restarts.

The interrupted runs' leases are still fresh in the database when the server comes back.
The lease sweeper only re-queues a run once its lease has expired; the restarted server
instead recognises the leases its previous incarnation held and re-queues those runs at
start, so each is RUNNING again before the lease it held at the kill would have expired
(and within one lease period of the restart), and then finishes.
"""

from __future__ import annotations

import sqlite3
import textwrap
import time
import tomllib
from datetime import datetime, timezone
from pathlib import Path

import pytest

from dagy.client import DagyClient
from dagy_server import Server, dagy, free_port, ok

pytestmark = pytest.mark.slow

LEASE_SECONDS = 20  # long enough that a restart fits well inside the lease left at the kill

# `hold` sleeps on its first execution only (a marker file says it started once), so the
# run interrupted by the kill finishes quickly when it is executed again.
FLOWS = textwrap.dedent('''
    import os
    import time
    from dagy import flow, task

    @task
    def hold(i: int, marks: str) -> int:
        marker = os.path.join(marks, f"started-{i}")
        first_time = not os.path.exists(marker)
        with open(marker, "a", encoding="utf-8") as handle:
            handle.write("x")
        if first_time:
            time.sleep(60)
        return i

    @flow(name="holding", version="1")
    def holding(i: int, marks: str):
        return hold(i, marks)
''')


@pytest.fixture
def workdir(tmp_path: Path, no_proxy) -> Path:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "marks").mkdir()
    (tmp_path / "holding_flows.py").write_text(FLOWS)
    return tmp_path


def _running_in_db(db: Path) -> dict[str, float]:
    """run id -> lease expiry (epoch seconds) of the runs stored as RUNNING."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT run_id, lease_expires_at FROM runs WHERE status = 'RUNNING'")
        return {run_id: _epoch(expires) for run_id, expires in rows}


def _epoch(stamp: str) -> float:
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()


def _started_at(run) -> float:
    return _epoch(run.started_at)


def test_a_restarted_server_resumes_its_interrupted_runs_within_one_lease(workdir: Path):
    port, lease = free_port(), str(LEASE_SECONDS)
    servers: list[Server] = []
    try:
        servers.append(Server(workdir, port, DAGY_LEASE_SECONDS=lease))
        artifact = ok(dagy(workdir, "build", "holding_flows.py", "--output-dir", "dist")).strip()
        ok(dagy(workdir, "deploy", artifact, "--deployment", "holding"))
        key = tomllib.loads((workdir / "home" / "profiles.toml").read_text())["local"]["api_key"]
        client = DagyClient(api_url=servers[0].url, api_key=key, timeout=10)
        marks = str(workdir / "marks")
        run_ids = [client.trigger_run("holding", {"i": i, "marks": marks}).run_id
                   for i in range(2)]  # the server's two consumers take one each

        deadline = time.monotonic() + 30
        while set(_running_in_db(workdir / "home" / "dagy.db")) != set(run_ids) or not all(
                (workdir / "marks" / f"started-{i}").exists() for i in range(2)):
            assert time.monotonic() < deadline, "the runs did not start"
            time.sleep(0.05)
        servers[0].proc.kill()  # SIGKILL: no shutdown code runs, the leases stay fresh
        servers[0].proc.wait(timeout=10)
        killed = time.time()
        leases = _running_in_db(workdir / "home" / "dagy.db")
        assert set(leases) == set(run_ids) and min(leases.values()) > killed

        restarted = time.time()
        servers.append(Server(workdir, port, DAGY_LEASE_SECONDS=lease))
        resumed: dict[str, float] = {}  # run id -> when it was claimed again
        deadline = time.monotonic() + 3 * LEASE_SECONDS + 10
        while len(resumed) < len(run_ids):
            assert time.monotonic() < deadline, f"runs not resumed: {resumed}"
            for run_id in run_ids:
                run = client.get_run(run_id)
                if run_id not in resumed and run.started_at and _started_at(run) > killed:
                    resumed[run_id] = _started_at(run)
            time.sleep(0.1)
        slowest = max(resumed.values()) - restarted
        print(f"\nrestart -> resume: {slowest:.2f} s (lease {LEASE_SECONDS} s)")
        # taken back while the old lease was still valid: no waiting for it to expire
        assert all(resumed[run_id] < leases[run_id] for run_id in run_ids), (resumed, leases)
        assert slowest < LEASE_SECONDS, f"resumed {slowest:.1f} s after the restart"

        finished = {}
        deadline = time.monotonic() + 30
        while len(finished) < len(run_ids):
            assert time.monotonic() < deadline, "resumed runs did not finish"
            for run_id in run_ids:
                run = client.get_run(run_id)
                if run.status in ("SUCCEEDED", "FAILED", "CANCELLED"):
                    finished[run_id] = run
            time.sleep(0.1)
        assert sorted(r.result for r in finished.values()) == [0, 1]
        assert all(r.status == "SUCCEEDED" for r in finished.values())
        # the task in flight at the kill ran again: at least once, never lost
        for i in range(2):
            assert (workdir / "marks" / f"started-{i}").read_text() == "xx"
    finally:
        for server in servers:
            server.close()
