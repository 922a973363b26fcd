"""Every command's help reads as plain words: no typer type labels such as `<bool>`,
`<list[str]>` or `{TARGET}`; and shell completion scripts are offered."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from dagy.entrypoints.cli.main import app

NOISE = re.compile(r"<(?:bool|str|int|float|datetime|path|file|directory|[a-z]+ range)>"
                   r"|\{[A-Z_]+\}|list\[")


def _paths(command, path: list[str]) -> list[list[str]]:
    """Every command path, by introspecting the groups typer builds."""
    found = [path]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += _paths(sub, path + [name])
    return found


ALL = _paths(typer.main.get_command(app), [])


def test_the_walk_reaches_nested_commands():
    assert ["schedules", "create"] in ALL and ["runs", "list"] in ALL and len(ALL) > 20


@pytest.mark.parametrize("path", ALL, ids=lambda p: " ".join(p) or "dagy")
def test_help_has_no_type_labels(path):
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert NOISE.findall(result.output) == [], result.output


def test_value_options_name_their_kind_and_flags_name_none():
    out = CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "200"}).output
    line = next(l for l in out.splitlines() if "--timeout" in l)
    assert "SECONDS" in line
    verbose = next(l for l in out.splitlines() if "--verbose" in l)
    assert "bool" not in verbose.lower()
    assert "dagy run [OPTIONS] TARGET" in out


def test_show_completion_prints_a_bash_script():
    result = CliRunner().invoke(app, ["--show-completion", "bash"],
                                env={"SHELL": "/bin/bash", "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "complete" in result.output and "_dagy_completion" in result.output


def test_root_help_offers_completion_options():
    out = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    assert "--install-completion" in out and "--show-completion" in out
