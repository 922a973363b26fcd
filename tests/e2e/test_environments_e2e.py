"""Environments against a real `dagy server` through the CLI, as docs/security.md says:
the org's three seeded environments, a deploy to development, a developer refused in
production, promotion to production by the owner, a run of the promoted deployment, a
staging-only key refused there, and deleting production as one 409 error line."""

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
    def double(n: int) -> int:
        return 2 * n

    @flow(name="tiny")
    def tiny(n: int = 2):
        return double(n)
''')


def _key(workdir: Path, role: str, *environments: str) -> dict[str, str]:
    args = [arg for env in environments for arg in ("--environment", env)]
    made = ok(dagy(workdir, "api-keys", "create", f"{role}-key", "--role", role, *args))
    return {"DAGY_API_KEY": made.strip()}


def test_deploy_promote_run_and_the_protections_of_production(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "tiny_flows.py").write_text(FLOWS)
    server = Server(tmp_path, free_port())
    try:
        listed = json.loads(ok(dagy(tmp_path, "environments", "list", "--json")))
        assert [(e["env_name"], e["is_protected"]) for e in listed] == [
            ("development", False), ("staging", False), ("production", True)]
        ok(dagy(tmp_path, "deploy", "tiny_flows.py:tiny", "--deployment", "tiny"))
        shown = json.loads(ok(dagy(tmp_path, "deployments", "list", "--json")))
        assert [(d["deployment_name"], d["environment"]) for d in shown] == [
            ("tiny", "development")]

        developer = _key(tmp_path, "developer")
        refused = one_line_error(dagy(tmp_path, "deploy", "tiny_flows.py:tiny", "--deployment",
                                      "tiny-live", "--env", "production", **developer), 2)
        assert "protected" in refused and "admin" in refused
        one_line_error(dagy(tmp_path, "deployments", "promote", "tiny", "--to", "production",
                            **developer), 2, "protected")

        promoted = ok(dagy(tmp_path, "deployments", "promote", "tiny", "--to", "production"))
        assert promoted.strip() == "tiny-production created in production: tiny version 1"
        table = ok(dagy(tmp_path, "deployments", "list"))
        row = next(line for line in table.splitlines() if "tiny-production" in line)
        assert "production" in row.replace("tiny-production", "")
        only = json.loads(ok(dagy(tmp_path, "deployments", "list", "--env", "production",
                                  "--json")))
        assert [(d["deployment_name"], d["promoted_from"]) for d in only] == [
            ("tiny-production", "tiny")]
        run = ok(dagy(tmp_path, "run", "tiny-production", "--param", "n=5", "--wait",
                      "--timeout", "60"))
        assert run.strip() == "10"  # the promoted copy ran the same flow version, to the end

        staging_only = _key(tmp_path, "operator", "staging")
        limited = one_line_error(dagy(tmp_path, "run", "tiny-production", **staging_only), 2)
        assert "staging" in limited

        gone = one_line_error(dagy(tmp_path, "environments", "delete", "production", "--yes"),
                              2, "protected")
        assert "409" in gone or "cannot be deleted" in gone
        used = one_line_error(dagy(tmp_path, "environments", "delete", "development", "--yes"),
                              2, "1 deployment")
        assert "cannot be deleted" in used
        ok(dagy(tmp_path, "environments", "create", "qa", "--tier", "small"))
        assert ok(dagy(tmp_path, "environments", "delete", "qa", "--yes")).strip() == "qa deleted"
        names = [e["env_name"] for e in json.loads(ok(dagy(tmp_path, "environments", "list",
                                                          "--json")))]
        assert names == ["development", "staging", "production"]
    finally:
        server.close()
