"""Every command's help reads as plain words: no typer type labels such as `<bool>`,
`<list[str]>` or `{TARGET}`; and shell completion scripts are offered."""

from __future__ import annotations

import os
import re
import subprocess
import sys

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


def test_show_completion_from_bash_prints_a_bash_script():
    """The shell is detected from the calling processes, as a user's terminal runs it."""
    command = f'"{sys.executable}" -m dagy.entrypoints.cli.main --show-completion; exit $?'
    # "; exit $?" keeps bash alive as the parent (a lone command would replace it)
    shown = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                           timeout=60, env={**os.environ, "COLUMNS": "200"})
    assert shown.returncode == 0, shown.stderr
    assert "complete" in shown.stdout and "_dagy_completion" in shown.stdout


def test_root_help_offers_completion_options():
    out = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    assert "--install-completion" in out and "--show-completion" in out
