"""`dagy sensors`, `dagy deployments show|delete`, `dagy schedules delete` and the
"did you mean" for a mistyped deployment, as real processes against a real `dagy server`."""

from __future__ import annotations

import json
import textwrap
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
    def etl(n: int, label: str = "x"):
        return double(n)
''')


def test_sensors_deployment_delete_and_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "my_flows.py").write_text(FLOWS)
    server = Server(tmp_path, free_port())
    try:
        artifact = ok(dagy(tmp_path, "build", "my_flows.py:etl", "--output-dir", "dist")).strip()
        ok(dagy(tmp_path, "deploy", artifact, "--deployment", "etl-demo"))

        flows = json.loads(ok(dagy(tmp_path, "flows", "list", "--remote", "--json")))
        assert [(f["flow_name"], f["versions"]) for f in flows] == [("etl", ["1.0.0"])]
        assert "1.0.0 (latest)" in ok(dagy(tmp_path, "flows", "versions", "etl", COLUMNS="200"))
        one_line_error(dagy(tmp_path, "flows", "versions", "nope"), 2, "not registered")

        one_line_error(dagy(tmp_path, "deployments", "show", "etl-dem"), 2,
                       "deployment 'etl-dem' not found; did you mean 'etl-demo'?")
        one_line_error(dagy(tmp_path, "run", "etl-dem"), 2, "did you mean 'etl-demo'?")

        schedule_id = ok(dagy(tmp_path, "schedules", "create", "-d", "etl-demo",
                              "--interval", "3600", "-p", "n=1")).split()[0]
        shown = ok(dagy(tmp_path, "deployments", "show", "etl-demo", COLUMNS="200"))
        assert "every 3600 s" in shown and schedule_id in shown
        assert "label" in shown and '"x"' in shown  # the parameters table
        assert "every 3600 s" in ok(dagy(tmp_path, "deployments", "list", COLUMNS="200"))

        created = ok(dagy(tmp_path, "sensors", "create", "on-push", "--type", "webhook",
                          "-d", "etl-demo", "-p", "n=2"))
        sensor_id = created.split()[0]
        assert "webhook_token " in created and "/hooks/" in created
        listed = json.loads(ok(dagy(tmp_path, "sensors", "list", "--json")))
        assert [(s["sensor_id"], s["enabled"]) for s in listed] == [(sensor_id, True)]
        assert ok(dagy(tmp_path, "sensors", "disable", sensor_id)).split() == [sensor_id,
                                                                              "disabled"]
        assert json.loads(ok(dagy(tmp_path, "sensors", "show", sensor_id, "--json")))[
            "enabled"] is False
        assert "webhook_token " in ok(dagy(tmp_path, "sensors", "rotate-token", sensor_id))
        ok(dagy(tmp_path, "sensors", "delete", sensor_id, "--yes"))
        assert json.loads(ok(dagy(tmp_path, "sensors", "list", "--json"))) == []
        one_line_error(dagy(tmp_path, "sensors", "show", sensor_id), 2, "(HTTP 404)")

        refused = dagy(tmp_path, "deployments", "delete", "etl-demo")  # no tty: no confirm
        assert refused.returncode != 0
        assert "etl-demo" in ok(dagy(tmp_path, "deployments", "list"))
        assert ok(dagy(tmp_path, "deployments", "delete", "etl-demo", "--yes")).strip() == \
            "etl-demo deleted"
        assert "no deployments" in ok(dagy(tmp_path, "deployments", "list"))
        assert json.loads(ok(dagy(tmp_path, "schedules", "list", "--json"))) == []
        one_line_error(dagy(tmp_path, "schedules", "delete", schedule_id, "--yes"), 2,
                       "(HTTP 404)")
    finally:
        server.close()
