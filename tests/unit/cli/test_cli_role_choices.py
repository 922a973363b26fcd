"""A role the CLI does not know is refused by the argument parser, with its usage text
and exit 2, before any request is made (docs/cli.md, "Errors and exit codes")."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from dagy.entrypoints.cli.main import app


@pytest.mark.parametrize("argv", [
    ["api-keys", "create", "ci", "--role", "wizard"],
    ["members", "invite", "ann@example.com", "--role", "superuser"],
    ["members", "role", "ann@example.com", "root"],
])
def test_an_unknown_role_is_a_usage_error(argv, tmp_path, monkeypatch):
    monkeypatch.setenv("DAGY_HOME", str(tmp_path))
    monkeypatch.setenv("DAGY_API_URL", "http://127.0.0.1:9")  # nothing listens: no request
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.output and "is not one of" in result.output
    assert all(f"'{role}'" in result.output for role in (  # the error box wraps lines
        "viewer", "operator", "developer", "admin", "owner"))
