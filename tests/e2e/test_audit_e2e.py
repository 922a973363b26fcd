"""The audit log against a real `dagy server`: changes made with the CLI are listed by
`dagy audit list` and `dagy audit verify` recomputes the chain OK; after the stopped
server's SQLite file is edited by hand (one entry's `after`) the restarted server's
chain fails `dagy audit verify` with one line naming that entry, exit 1."""

from __future__ import annotations

import json
import re
import shutil
import signal
import sqlite3
import subprocess
import textwrap
from pathlib import Path

import pytest

from dagy_server import Server, dagy, free_port, ok, one_line_error

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

FLOWS = textwrap.dedent('''
    from dagy import flow, task

    @task
    def one() -> int:
        return 1

    @flow(name="tiny")
    def tiny():
        return one()
''')
OK_LINE = re.compile(r"^audit chain OK: (\d+) entries, head ([0-9a-f]{64})$")
FORGED = json.dumps({"status": "ACTIVE", "note": "forged"})


def edit_after(database: Path, seq: int) -> None:
    """Rewrite one entry's `after` as someone with the database file would."""
    statement = f"UPDATE audit_logs SET after_json = '{FORGED}' WHERE seq = {seq};"
    if shutil.which("sqlite3"):
        subprocess.run(["sqlite3", str(database), statement], check=True, timeout=30)
        return
    with sqlite3.connect(database) as conn:  # the same statement, without the shell tool
        conn.execute(statement)


def test_cli_changes_are_audited_verified_and_a_hand_edit_is_found(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "tiny_flows.py").write_text(FLOWS)
    port = free_port()
    server = Server(tmp_path, port)
    try:
        ok(dagy(tmp_path, "deploy", "tiny_flows.py:tiny", "--deployment", "tiny"))
        ok(dagy(tmp_path, "deployments", "pause", "tiny"))
        ok(dagy(tmp_path, "deployments", "resume", "tiny"))
        ok(dagy(tmp_path, "run", "tiny"))
        ok(dagy(tmp_path, "api-keys", "create", "ci", "--role", "viewer"))
        listed = json.loads(ok(dagy(tmp_path, "audit", "list", "--resource-type", "deployment",
                                    "--resource-id", "tiny", "--json")))
        assert [e["action"] for e in listed][:3] == [
            "deployment.resume", "deployment.pause", "deployment.create"]
        pause = next(e for e in listed if e["action"] == "deployment.pause")
        assert pause["ip"] == "127.0.0.1" and pause["request_id"]
        table = ok(dagy(tmp_path, "audit", "list", "--actor", "system"))
        assert "org.create" in table
        verified = ok(dagy(tmp_path, "audit", "verify")).strip()
        match = OK_LINE.match(verified)
        assert match and int(match.group(1)) >= 6, verified
        head = match.group(2)
        assert OK_LINE.match(ok(dagy(tmp_path, "audit", "verify", "--expect-head", head)).strip())
        one_line_error(dagy(tmp_path, "audit", "verify", "--expect-head", "0000"), 2,
                       "64 lower-case hex digits")
        code, _ = server.stop(signal.SIGTERM)
        assert code == 0
        edit_after(tmp_path / "home" / "dagy.db", pause["seq"])
        server = Server(tmp_path, port)
        broken = dagy(tmp_path, "audit", "verify")
        assert broken.returncode == 1, (broken.stdout, broken.stderr)
        lines = broken.stderr.strip().splitlines()
        assert lines == [f"audit chain BROKEN at seq {pause['seq']}: its content does not "
                         "match its hash (edited)"], broken.stderr
        assert "Traceback" not in broken.stderr and broken.stdout == ""
        refused = dagy(tmp_path, "audit", "list", "--since", "yesterday")
        assert refused.returncode == 2 and "since" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    finally:
        server.close()
