"""`dagy deployments list|show|pause|resume`: deployments on the control plane."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from dagy.entrypoints.cli import remote
from dagy.entrypoints.cli.remote import JsonOption, ProfileOption, stdout_console, styled, write_line

deployments_app = typer.Typer(help="List, inspect, pause and resume deployments.",
                              no_args_is_help=True, pretty_exceptions_enable=False)
NameArgument = Annotated[str, typer.Argument(metavar="NAME")]


@deployments_app.command("list")
def deployments_list(as_json: JsonOption = False, profile: ProfileOption = None) -> None:
    """Every deployment."""
    deployments = remote.make_client(profile).list_deployments()
    if as_json:
        write_line(json.dumps([vars(d) for d in deployments], default=str))
        return
    table = Table("NAME", "FLOW", "VERSION", "STATUS", "SCHEDULE", "EXECUTOR")
    for d in deployments:
        table.add_row(*(escape(v or "-") for v in (d.deployment_name, d.flow_name,
                                                   d.flow_version)), styled(d.status),
                      escape(d.schedule or "-"), escape(d.default_executor or "-"))
    stdout_console().print(table if deployments else "no deployments")


@deployments_app.command("show")
def deployments_show(name: NameArgument, profile: ProfileOption = None) -> None:
    """One deployment."""
    d = remote.make_client(profile).get_deployment(name)
    info = Table.grid(padding=(0, 2))
    for key, value in vars(d).items():
        if key == "status":
            info.add_row(key, styled(value))
        else:
            shown = json.dumps(value) if isinstance(value, dict) else str(value or "-")
            info.add_row(key, escape(shown))
    stdout_console().print(info)


@deployments_app.command("pause")
def deployments_pause(name: NameArgument, profile: ProfileOption = None) -> None:
    """Pause a deployment: new runs are refused (409) until it is resumed."""
    d = remote.make_client(profile).pause_deployment(name)
    write_line(f"{d.deployment_name} {d.status}")


@deployments_app.command("resume")
def deployments_resume(name: NameArgument, profile: ProfileOption = None) -> None:
    """Resume a paused deployment."""
    d = remote.make_client(profile).resume_deployment(name)
    write_line(f"{d.deployment_name} {d.status}")
