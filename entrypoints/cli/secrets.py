"""`dagy secrets set|list|delete`: the profile's org's secrets over the /secrets API, and
`dagy secrets rotate-key`, an operator step run against the database itself.

`set` reads the value from standard input when it is piped, else from a hidden prompt;
`--value` also works but leaves the value in the shell's history and the process list.
Nothing prints a value: the API never answers one.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from dagy.entrypoints.cli import remote
from dagy.entrypoints.cli.remote import JsonOption, ProfileOption, stdout_console, write_line

secrets_app = typer.Typer(help="Set, list and delete secrets; rotate their encryption key.",
                          no_args_is_help=True, pretty_exceptions_enable=False)
NameArgument = Annotated[str, typer.Argument(metavar="NAME")]
EnvOption = Annotated[Optional[str], typer.Option(
    "--env", metavar="ENV", help="The environment the secret is scoped to (default: "
    "org-wide).")]


def _scope(e: dict) -> str:
    return e["environment"] or "org-wide"


def _read_value() -> str:
    if sys.stdin is not None and not sys.stdin.isatty():
        value = sys.stdin.read()
        return value[:-1] if value.endswith("\n") else value  # `echo x |` adds one
    return typer.prompt("Value", hide_input=True, confirmation_prompt=False)


@secrets_app.command("set")
def secrets_set(
    name: NameArgument, env: EnvOption = None,
    value: Annotated[Optional[str], typer.Option(
        "--value", metavar="VALUE", help="The value (visible in shell history and the "
        "process list: prefer standard input or the prompt).")] = None,
    profile: ProfileOption = None,
) -> None:
    """Create or replace a secret (value from standard input, else a hidden prompt)."""
    text = value if value is not None else _read_value()
    made = remote.make_client(profile).set_secret(name, text, env)
    write_line(f"secret {made['name']} ({_scope(made)}) set")


@secrets_app.command("list")
def secrets_list(env: EnvOption = None, as_json: JsonOption = False,
                 profile: ProfileOption = None) -> None:
    """Every secret's name and scope (of one environment with --env); never values."""
    items = remote.make_client(profile).list_secrets(env)
    if as_json:
        write_line(json.dumps(items))
        return
    table = Table("NAME", "SCOPE", "UPDATED", "UPDATED BY")
    for s in items:
        table.add_row(escape(s["name"]), escape(_scope(s)), escape(s.get("updated_at") or "-"),
                      escape(s.get("updated_by") or "-"))
    stdout_console().print(table if items else "no secrets")


@secrets_app.command("delete")
def secrets_delete(name: NameArgument, env: EnvOption = None,
                   profile: ProfileOption = None) -> None:
    """Delete a secret of the scope (org-wide without --env)."""
    remote.make_client(profile).delete_secret(name, env)
    write_line(f"secret {name} ({env or 'org-wide'}) deleted")


@secrets_app.command("rotate-key")
def secrets_rotate_key(
    batch_size: Annotated[int, typer.Option(
        "--batch-size", min=1, max=10_000, help="Rows per transaction.")] = 500,
    max_batches: Annotated[Optional[int], typer.Option(
        "--max-batches", min=1, help="Stop after this many batches (run again to go on).")
    ] = None,
) -> None:
    """Re-encrypt every secret under the first key of DAGY_SECRET_KEYS (resumable).

    Batches of --batch-size rows, a commit each; rows already under the first key are
    skipped, so a run that was stopped or killed goes on where it left off."""
    from dagy.application.use_cases.secret_rotation import rotate_secret_keys
    from dagy.domain.errors import DagyError
    from dagy.entrypoints.cli.db import redacted
    from dagy.entrypoints.container import build_container
    from dagy.entrypoints.settings import DagySettings

    settings = DagySettings()
    url = redacted(settings.resolved_database_url())
    try:
        container = build_container(settings, migrate=False)
    except DagyError as exc:
        raise DagyError(f"cannot open {url}: {exc}") from None
    try:
        report = rotate_secret_keys(container.deps, batch_size=batch_size,
                                    max_batches=max_batches, on_batch=_progress)
    finally:
        container.close()
    state = "done" if report.finished else "stopped (run again to continue)"
    write_line(f"{url}: {report.rotated} re-encrypted under key {report.key_id}, "
               f"{report.skipped} changed meanwhile, {report.unreadable} unreadable, "
               f"in {report.batches} batch(es): {state}")
    if report.unreadable:
        raise remote.RemoteCliError(f"{report.unreadable} secret(s) no key of "
                                    "DAGY_SECRET_KEYS opens: add the key they were "
                                    "encrypted with (after the new one) and run again",
                                    exit_code=1)


def _progress(report) -> None:
    sys.stderr.write(f"batch {report.batches}: {report.rotated} re-encrypted so far\n")
    sys.stderr.flush()
