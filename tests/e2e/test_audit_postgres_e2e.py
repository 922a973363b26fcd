"""The audit chain on a real `dagy server` over PostgreSQL (a fresh schema): changes made
with the CLI verify OK with `dagy audit verify`; then one entry's `after` is rewritten in
the schema with plain SQL while the server keeps running, and the very next verify fails
with one line naming that entry's seq, exit code 1."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa

from backend_deps import postgres_server_env
from dagy.adapters.sql.engine import make_engine
from dagy_server import Server, dagy, free_port, ok
from test_audit_e2e import FLOWS, FORGED, OK_LINE

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.usefixtures("no_proxy")]


def test_a_row_edited_in_postgres_while_the_server_runs_breaks_verify_at_its_seq(
        tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "tiny_flows.py").write_text(FLOWS)
    with ExitStack() as stack:
        env, schema = postgres_server_env(stack)
        server = Server(tmp_path, free_port(), **env)
        stack.callback(server.close)
        ok(dagy(tmp_path, "deploy", "tiny_flows.py:tiny", "--deployment", "tiny"))
        ok(dagy(tmp_path, "deployments", "pause", "tiny"))
        ok(dagy(tmp_path, "deployments", "resume", "tiny"))
        listed = json.loads(ok(dagy(tmp_path, "audit", "list", "--resource-type", "deployment",
                                    "--resource-id", "tiny", "--json")))
        pause = next(e for e in listed if e["action"] == "deployment.pause")
        verified = ok(dagy(tmp_path, "audit", "verify")).strip()
        match = OK_LINE.match(verified)
        assert match and int(match.group(1)) >= 3, verified

        engine = make_engine(env["DAGY_DATABASE_URL"])
        stack.callback(engine.dispose)
        with engine.begin() as conn:
            edited = conn.execute(sa.text(
                f'UPDATE "{schema}".audit_logs SET after_json = :forged WHERE seq = :seq'),
                {"forged": FORGED, "seq": pause["seq"]})
            assert edited.rowcount == 1
        broken = dagy(tmp_path, "audit", "verify")
        assert broken.returncode == 1, (broken.stdout, broken.stderr)
        assert broken.stderr.strip().splitlines() == [
            f"audit chain BROKEN at seq {pause['seq']}: its content does not match its hash "
            "(edited)"], broken.stderr
        assert "Traceback" not in broken.stderr and broken.stdout == ""
        assert server.proc.poll() is None  # still serving
