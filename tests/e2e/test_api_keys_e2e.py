"""API keys against a real `dagy server`, as the docs say: `dagy api-keys create` makes a
viewer key that can read but not trigger (403, one line), `dagy whoami` says so, and
`dagy api-keys revoke` refuses it on the very next request."""

from __future__ import annotations

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


def test_a_viewer_key_reads_cannot_trigger_and_is_refused_once_revoked(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "tiny_flows.py").write_text(FLOWS)
    server = Server(tmp_path, free_port())
    try:
        ok(dagy(tmp_path, "deploy", "tiny_flows.py:tiny", "--deployment", "tiny"))
        made = dagy(tmp_path, "api-keys", "create", "dashboards", "--role", "viewer")
        assert made.returncode == 0, made.stderr
        viewer = made.stdout.strip()
        assert viewer.startswith("dagy_") and "shown only now" in made.stderr
        as_viewer = {"DAGY_API_KEY": viewer}
        who = ok(dagy(tmp_path, "whoami", **as_viewer))
        assert "role viewer" in who and "runs:read" in who and "runs:trigger" not in who
        assert "tiny" in ok(dagy(tmp_path, "deployments", "list", **as_viewer))
        refused = one_line_error(dagy(tmp_path, "run", "tiny", **as_viewer), 2)
        assert "runs:trigger" in refused and "operator" in refused
        listed = ok(dagy(tmp_path, "api-keys", "list"))
        assert "dashboards" in listed and viewer not in listed
        key_id = next(line.split()[1] for line in listed.splitlines() if "dashboards" in line)
        assert ok(dagy(tmp_path, "api-keys", "revoke", key_id)).strip() == f"{key_id} revoked"
        gone = one_line_error(dagy(tmp_path, "deployments", "list", **as_viewer), 2)
        assert "revoked" in gone
        assert "tiny" in ok(dagy(tmp_path, "deployments", "list"))  # the owner key still works
    finally:
        server.close()
