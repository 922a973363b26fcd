"""`dagy backfill` against a real `dagy server`: one run per past slot, nothing twice on a
repeat, and `--max-concurrent 1` never lets two of its runs execute at once (each run
writes when it starts and ends; without the bound, the server's two consumers overlap)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from dagy_server import Server, dagy, free_port, ok, one_line_error

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

FLOWS = textwrap.dedent('''
    import time
    from dagy import flow, task

    @task
    def stamp(path: str) -> int:
        with open(path, "a") as out:
            out.write(f"start {time.time()}\\n")
        time.sleep(0.8)
        with open(path, "a") as out:
            out.write(f"end {time.time()}\\n")
        return 1

    @flow(name="stamped", version="1.0.0")
    def stamped(path: str):
        return stamp(path)
''')
DAY = ("--start", "2026-01-01T00:00:00Z", "--end", "2026-01-01T03:00:00Z")


def most_at_once(path: Path) -> tuple[int, int]:
    """(runs that started, the most that were running at the same moment)."""
    events = sorted((float(t), kind) for kind, t in
                    (line.split() for line in path.read_text().splitlines()))
    running = peak = 0
    for _, kind in events:  # at equal times "end" sorts before "start": no false overlap
        running += 1 if kind == "start" else -1
        peak = max(peak, running)
    return sum(1 for _, kind in events if kind == "start"), peak


def test_backfill_twice_and_max_concurrent_one(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "my_flows.py").write_text(FLOWS)
    bounded, unbounded = tmp_path / "bounded.log", tmp_path / "unbounded.log"
    server = Server(tmp_path, free_port())
    try:
        artifact = ok(dagy(tmp_path, "build", "my_flows.py:stamped", "--output-dir", "dist"))
        ok(dagy(tmp_path, "deploy", artifact.strip(), "--deployment", "stamps"))
        one_line_error(dagy(tmp_path, "backfill", "stamps", *DAY), 2, "no schedule")
        sid = ok(dagy(tmp_path, "schedules", "create", "-d", "stamps", "--interval", "3600",
                      "-p", f"path={bounded}")).split()[0]

        first = ok(dagy(tmp_path, "backfill", "stamps", *DAY, "--max-concurrent", "1",
                        "--poll", "0.1", "--timeout", "60"))
        assert first.strip().startswith(f"schedule {sid}: 3 slots, created 3, existing 0")
        assert "3 SUCCEEDED" in first
        assert most_at_once(bounded) == (3, 1)

        again = json.loads(ok(dagy(tmp_path, "backfill", "stamps", *DAY, "--json")))
        assert (again["total"], again["created"], again["existing"]) == (3, 0, 3)
        assert [s["scheduled_at"][:19] for s in again["slots"]] == [
            "2026-01-01T00:00:00", "2026-01-01T01:00:00", "2026-01-01T02:00:00"]
        runs = json.loads(ok(dagy(tmp_path, "runs", "list", "--json")))
        assert len(runs) == 3

        # the control: without the bound, two consumers run the day's slots side by side
        ok(dagy(tmp_path, "schedules", "delete", sid, "--yes"))
        sid = ok(dagy(tmp_path, "schedules", "create", "-d", "stamps", "--interval", "3600",
                      "-p", f"path={unbounded}")).split()[0]
        quick = ok(dagy(tmp_path, "backfill", "stamps", *DAY, "--schedule", sid))
        assert quick.strip() == f"schedule {sid}: 3 slots, created 3, existing 0 (3 QUEUED)"
        ok(dagy(tmp_path, "backfill", "stamps", *DAY, "--schedule", sid,
                "--max-concurrent", "3", "--poll", "0.1", "--timeout", "60"))
        assert most_at_once(unbounded) == (3, 2)

        one_line_error(dagy(tmp_path, "backfill", "stamps", "--start", "2026-01-01T00:00:00",
                            "--end", "2026-01-01T03:00:00Z"), 2, "UTC offset", "(HTTP 422)")
        one_line_error(dagy(tmp_path, "backfill", "stamps", "--start", "2020-01-01T00:00:00Z",
                            "--end", "2026-01-01T00:00:00Z"), 2, "limit of 1000")
        assert len(json.loads(ok(dagy(tmp_path, "runs", "list", "--json")))) == 6
    finally:
        server.close()
