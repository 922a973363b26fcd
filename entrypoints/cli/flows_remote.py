"""`dagy flows list --remote` and `dagy flows versions NAME`: the flows registered on the
control plane and their versions (the local `flows list FILE` reads a Python file)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from dagy.domain.errors import DagyError
from dagy.entrypoints.cli import remote
from dagy.entrypoints.cli.remote import JsonOption, ProfileOption, stdout_console, write_line


class UnknownFlow(DagyError):
    exit_code = 2


def remote_flows_list(profile: str | None, as_json: bool = False) -> None:
    """Every registered flow with its latest version and every version, oldest first."""
    client = remote.make_client(profile)
    rows = []
    for flow in client.list_flows():
        detail = client.get_flow(flow["flow_name"]) or {}
        versions = [v["flow_version"] for v in detail.get("versions") or []]
        rows.append({"flow_name": flow["flow_name"], "latest_version": flow["flow_version"],
                     "versions": versions or [flow["flow_version"]],
                     "namespace": flow.get("namespace")})
    if as_json:
        write_line(json.dumps(rows))
        return
    table = Table("FLOW", "LATEST", "VERSIONS", "NAMESPACE")
    for r in rows:
        table.add_row(escape(r["flow_name"]), escape(r["latest_version"]),
                      escape(", ".join(r["versions"])), escape(r["namespace"] or "-"))
    stdout_console().print(table if rows else "no flows registered")


def flows_versions(name: Annotated[str, typer.Argument(metavar="NAME")],
                   as_json: JsonOption = False, profile: ProfileOption = None) -> None:
    """Every registered version of a flow on the control plane, oldest first."""
    detail = remote.make_client(profile).get_flow(name)
    if detail is None:
        raise UnknownFlow(f"flow {name!r} is not registered on the control plane")
    versions = detail.get("versions") or []
    if as_json:
        write_line(json.dumps(versions))
        return
    table = Table("VERSION", "STATUS", "CODE HASH", "REGISTERED")
    for v in versions:
        latest = " (latest)" if v["flow_version"] == detail.get("latest_version") else ""
        table.add_row(escape(v["flow_version"] + latest), escape(v.get("status") or "-"),
                      escape((v.get("code_hash") or "-")[:12]), escape(str(v.get("created_at"))))
    stdout_console().print(table)

