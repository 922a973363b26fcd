"""`dagy environments list|create|update|delete`: the environments of the profile's org
(development, staging, production, ...), over the /environments API."""

from __future__ import annotations

import json
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.table import Table

from dagy.entrypoints.cli import remote
from dagy.entrypoints.cli.remote import JsonOption, ProfileOption, stdout_console, write_line

environments_app = typer.Typer(help="List, create, update and delete environments.",
                               no_args_is_help=True, pretty_exceptions_enable=False)
NameArgument = Annotated[str, typer.Argument(metavar="NAME")]
ExecutorOption = Annotated[Optional[str], typer.Option(
    "--executor", metavar="NAME", help="Default executor of the environment's runs.")]
TierOption = Annotated[Optional[str], typer.Option(
    "--tier", metavar="TIER", help="Default runtime tier (nano, micro, small, medium, large, "
    "xlarge).")]
ConfigOption = Annotated[Optional[str], typer.Option(
    "--config", metavar="JSON", help="Configuration: a JSON object (replaces the old one).")]


def _config(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise remote.RemoteCliError(f"--config is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise remote.RemoteCliError("--config must be a JSON object, e.g. '{\"region\": \"x\"}'")
    return value


def _line(e: dict) -> str:
    protected = "protected" if e["is_protected"] else "not protected"
    return f"{e['env_name']} ({protected})"


@environments_app.command("list")
def environments_list(as_json: JsonOption = False, profile: ProfileOption = None) -> None:
    """Every environment, oldest first."""
    items = remote.make_client(profile).list_environments()
    if as_json:
        write_line(json.dumps(items))
        return
    table = Table("NAME", "PROTECTED", "EXECUTOR", "TIER", "CONFIG")
    for e in items:
        table.add_row(escape(e["env_name"]), "yes" if e["is_protected"] else "no",
                      escape(e.get("default_executor") or "-"),
                      escape(e.get("default_runtime_tier") or "-"),
                      escape(json.dumps(e.get("config_json") or {})))
    stdout_console().print(table if items else "no environments")


@environments_app.command("create")
def environments_create(
    name: NameArgument,
    protected: Annotated[bool, typer.Option(
        "--protected", help="Protect it: it cannot be deleted, and deploying into it or "
        "changing its secrets needs admin.")] = False,
    executor: ExecutorOption = None, tier: TierOption = None, config: ConfigOption = None,
    profile: ProfileOption = None,
) -> None:
    """Create an environment (needs admin)."""
    made = remote.make_client(profile).create_environment(
        name, protected=protected or None, default_executor=executor,
        default_runtime_tier=tier, config=_config(config))
    write_line(f"{_line(made)} created")


@environments_app.command("update")
def environments_update(
    name: NameArgument,
    protected: Annotated[Optional[bool], typer.Option(
        "--protected/--unprotected", help="Protect it, or take the protection off.")] = None,
    executor: ExecutorOption = None, tier: TierOption = None, config: ConfigOption = None,
    profile: ProfileOption = None,
) -> None:
    """Change what is given; the rest stays."""
    changes = {"is_protected": protected, "default_executor": executor,
               "default_runtime_tier": tier, "config_json": _config(config)}
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise remote.RemoteCliError("nothing to change: give --protected/--unprotected, "
                                    "--executor, --tier or --config")
    changed = remote.make_client(profile).update_environment(name, **changes)
    write_line(f"{_line(changed)} updated")


@environments_app.command("delete")
def environments_delete(
    name: NameArgument,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
    profile: ProfileOption = None,
) -> None:
    """Delete an environment no deployment belongs to (a protected one: unprotect first)."""
    client = remote.make_client(profile)
    client.get_environment(name)
    if not yes and not typer.confirm(f"delete environment {name}?"):
        raise typer.Exit(1)
    client.delete_environment(name)
    write_line(f"{name} deleted")
