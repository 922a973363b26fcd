"""`dagy deployments list|show|pause|resume|delete|promote`: deployments on the control plane.

A name the server does not know gets a "did you mean" from the organization's names
(entrypoints/cli/suggest.py)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Group
from rich.markup import escape
from rich.table import Table

from dagy.domain.errors import DagyError
from dagy.entrypoints.cli import remote
from dagy.entrypoints.cli.remote import JsonOption, ProfileOption, stdout_console, styled, write_line
from dagy.entrypoints.cli.suggest import deployment_hint

deployments_app = typer.Typer(help="List, inspect, pause, resume, delete and promote "
                              "deployments.",
                              no_args_is_help=True, pretty_exceptions_enable=False)
NameArgument = Annotated[str, typer.Argument(metavar="NAME")]


def _schedule_names(client: Any) -> dict[str, list[str]]:
    """Deployment name -> how each of its schedules runs (cron, interval or one time)."""
    found: dict[str, list[str]] = {}
    for s in client.list_schedules():
        found.setdefault(s["deployment_name"], []).append(_when(s))
    return found


def _when(s: dict) -> str:
    when = s.get("cron_expression") or (f"every {s['interval_seconds']} s"
                                        if s.get("interval_seconds") else f"at {s.get('start_at')}")
    return when if s.get("enabled", True) else f"{when} (disabled)"


@deployments_app.command("list")
def deployments_list(
    environment: Annotated[str | None, typer.Option(
        "--env", metavar="ENV", help="Only the deployments of this environment.")] = None,
    as_json: JsonOption = False, profile: ProfileOption = None,
) -> None:
    """Every deployment (of one environment, with --env), with every schedule of it."""
    client = remote.make_client(profile)
    deployments = [d for d in client.list_deployments()
                   if environment is None or d.environment == environment]
    if as_json:
        write_line(json.dumps([vars(d) for d in deployments], default=str))
        return
    schedules = _schedule_names(client) if deployments else {}
    table = Table("NAME", "ENVIRONMENT", "FLOW", "VERSION", "STATUS", "SCHEDULE", "EXECUTOR")
    for d in deployments:
        when = "; ".join(schedules.get(d.deployment_name, [])) or d.schedule or "-"
        table.add_row(*(escape(v or "-") for v in (d.deployment_name, d.environment,
                                                   d.flow_name, d.flow_version)),
                      styled(d.status),
                      escape(when), escape(d.default_executor or "-"))
    stdout_console().print(table if deployments else "no deployments")


def _parameters_table(client: Any, flow_name: str, flow_version: str) -> Table | str:
    """The flow version's parameters: name, type, default, required."""
    try:
        seg = client._seg
        version = client._request("GET", f"/flows/{seg(flow_name)}/versions/{seg(flow_version)}")
    except DagyError as exc:
        return f"parameters: unavailable ({exc})"
    params = (version.get("flow_spec") or {}).get("parameters") or []
    if not params:
        return "parameters: none"
    table = Table("PARAMETER", "TYPE", "DEFAULT", "REQUIRED", title="parameters",
                  title_justify="left")
    for p in params:
        required = bool(p.get("required", True))
        default = "-" if required else json.dumps(p.get("default"))
        table.add_row(escape(str(p.get("name"))), escape(str(p.get("type", "any"))),
                      escape(default), "yes" if required else "no")
    return table


@deployments_app.command("show")
def deployments_show(name: NameArgument, profile: ProfileOption = None) -> None:
    """One deployment, its flow's parameters and every schedule of it."""
    client = remote.make_client(profile)
    with deployment_hint(client, name):
        d = client.get_deployment(name)
    info = Table.grid(padding=(0, 2))
    for key, value in vars(d).items():
        if key == "status":
            info.add_row(key, styled(value))
        else:
            shown = json.dumps(value) if isinstance(value, dict) else str(value or "-")
            info.add_row(key, escape(shown))
    schedules = Table("SCHEDULE", "WHEN", "TIMEZONE", "NEXT RUN (UTC)", title="schedules",
                      title_justify="left")
    items = client.list_schedules(name)
    for s in items:
        schedules.add_row(escape(s["schedule_id"]), escape(_when(s)), escape(s["timezone"]),
                          escape(s.get("next_run_at") or "-"))
    stdout_console().print(Group(info, "", _parameters_table(client, d.flow_name, d.flow_version),
                                 "", schedules if items else "schedules: none"))


@deployments_app.command("pause")
def deployments_pause(name: NameArgument, profile: ProfileOption = None) -> None:
    """Pause a deployment: new runs are refused (409) until it is resumed."""
    client = remote.make_client(profile)
    with deployment_hint(client, name):
        d = client.pause_deployment(name)
    write_line(f"{d.deployment_name} {d.status}")


@deployments_app.command("resume")
def deployments_resume(name: NameArgument, profile: ProfileOption = None) -> None:
    """Resume a paused deployment."""
    client = remote.make_client(profile)
    with deployment_hint(client, name):
        d = client.resume_deployment(name)
    write_line(f"{d.deployment_name} {d.status}")


@deployments_app.command("delete")
def deployments_delete(
    name: NameArgument,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
    profile: ProfileOption = None,
) -> None:
    """Delete a deployment and its schedules (asks first unless --yes); its runs remain."""
    client = remote.make_client(profile)
    with deployment_hint(client, name):
        client.get_deployment(name)
        if not yes and not typer.confirm(f"delete deployment {name} and its schedules?"):
            raise typer.Exit(1)
        client.delete_deployment(name)
    write_line(f"{name} deleted")


@deployments_app.command("promote")
def deployments_promote(
    name: NameArgument,
    to_environment: Annotated[str, typer.Option(
        "--to", metavar="ENV", help="The environment to promote into (production needs "
        "admin).")],
    target: Annotated[str | None, typer.Option(
        "--name", metavar="TARGET", help="The target deployment (default: the one promoted "
        "from NAME into ENV before, else NAME-ENV).")] = None,
    profile: ProfileOption = None,
) -> None:
    """Copy a deployment into another environment with the same flow version, parameters
    and tier (not its schedules); promoting again moves that copy to NAME's version."""
    client = remote.make_client(profile)
    with deployment_hint(client, name):
        promoted, created = client.promote_deployment(name, to_environment, target)
    verb = "created" if created else "updated"
    write_line(f"{promoted.deployment_name} {verb} in {promoted.environment}: "
               f"{promoted.flow_name} version {promoted.flow_version}")
