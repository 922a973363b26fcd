"""A slot the server's own tick could not trigger is shown by `dagy schedules show` with
its reason (and logged as a warning), beside the slots that did run; a real `dagy server`
ticking every half second, a schedule every second."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest

from dagy_server import Server, dagy, free_port, ok, one_line_error

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

FLOWS = textwrap.dedent('''
    from dagy import flow, task

    @task
    def double(x: int) -> int:
        return x * 2

    @flow(name="etl", version="1.0.0")
    def etl(n: int):
        return double(n)
''')


def _wait_for_slot(tmp_path: Path, schedule_id: str, status: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = json.loads(ok(dagy(tmp_path, "schedules", "show", schedule_id, "--json")))
        found = [s for s in shown["slots"] if s["status"] == status]
        if found:
            return found[0]
        time.sleep(0.5)
    pytest.fail(f"no {status} slot of {schedule_id} after {timeout}s")


def test_schedules_show_lists_the_refused_slot_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "my_flows.py").write_text(FLOWS)
    server = Server(tmp_path, free_port(), "--tick-seconds", "0.5")
    try:
        artifact = ok(dagy(tmp_path, "build", "my_flows.py:etl", "--output-dir", "dist")).strip()
        ok(dagy(tmp_path, "deploy", artifact, "--deployment", "etl-demo"))
        schedule_id = ok(dagy(tmp_path, "schedules", "create", "-d", "etl-demo",
                              "--interval", "1", "-p", "n=2")).split()[0]
        hourly = ok(dagy(tmp_path, "schedules", "create", "-d", "etl-demo",
                         "--interval", "3600", "-p", "n=2")).split()[0]
        assert "no slots recorded yet" in ok(dagy(tmp_path, "schedules", "show", hourly))

        triggered = _wait_for_slot(tmp_path, schedule_id, "triggered")
        assert triggered["run_id"] and triggered["reason"] is None
        ok(dagy(tmp_path, "deployments", "pause", "etl-demo"))
        refused = _wait_for_slot(tmp_path, schedule_id, "refused")
        assert "paused" in refused["reason"] and refused["run_id"] is None
        assert refused["epoch"] > triggered["epoch"]

        shown = ok(dagy(tmp_path, "schedules", "show", schedule_id, "--limit", "100"))
        lines = shown.splitlines()  # the tick goes on: more refused slots may have come
        assert lines[0].startswith(f"schedule {schedule_id}  deployment etl-demo  every 1 s")
        assert any(line.startswith("refused slots: ") and "paused" in line for line in lines)
        refused_line = next(line for line in lines
                            if line.startswith(f"  {refused['scheduled_for']}"))
        assert "  refused    deployment 'etl-demo' is paused" in refused_line
        assert any(f"triggered  {triggered['run_id']}" in line for line in lines)
        assert lines.index(refused_line) < next(  # newest first
            i for i, line in enumerate(lines) if triggered["run_id"] in line)

        detail = json.loads(ok(dagy(tmp_path, "schedules", "show", schedule_id, "--json")))
        assert detail["schedule"]["refused_slots"] >= 1
        assert "paused" in detail["schedule"]["last_refused"]["reason"]
        log = server.err.read_text()
        assert f"schedule {schedule_id}" in log and "refused" in log and "paused" in log

        one_line_error(dagy(tmp_path, "schedules", "show", "missing"), 2, "(HTTP 404)")
        bad = dagy(tmp_path, "schedules", "show", schedule_id, "--limit", "0")
        assert bad.returncode == 2 and "--limit" in bad.stderr and not bad.stdout
    finally:
        server.close()
