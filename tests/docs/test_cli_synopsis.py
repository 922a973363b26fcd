"""docs/cli.md's synopsis names every `dagy` command and subcommand the CLI has.

Why: the synopsis is where a reader looks first, and it went stale once already (it
omitted deploy, server, runs, deployments and schedules). The commands are read from the
Typer app itself, so a new command without a synopsis line fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import typer

from dagy.entrypoints.cli.main import app

CLI_MD = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def synopsis() -> dict[str, set[str]]:
    """{command: {subcommands}} from the first ```text block of cli.md."""
    block = re.search(r"^```text\n(.*?)^```", CLI_MD.read_text(), re.S | re.M)
    assert block, "docs/cli.md has no ```text synopsis block"
    named: dict[str, set[str]] = {}
    for line in block.group(1).splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] == "dagy":
            subs = named.setdefault(words[1], set())
            if len(words) >= 3:
                subs.update(words[2].split("|"))
    return named


def test_synopsis_names_every_command_and_subcommand() -> None:
    commands = typer.main.get_command(app).commands
    named = synopsis()
    missing = [name for name in commands if name not in named]
    assert not missing, f"docs/cli.md's synopsis lacks: {missing}"
    for name, command in commands.items():
        subcommands = getattr(command, "commands", {})
        absent = sorted(set(subcommands) - named[name])
        assert not absent, f"docs/cli.md's synopsis lacks `dagy {name} {'|'.join(absent)}`"
