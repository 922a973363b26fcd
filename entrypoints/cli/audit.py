"""`dagy audit list|verify`: the org's audit log (needs a key with audit:read).

`verify` recomputes the chain on this machine (dagy.audit_chain): exit 0 and
"audit chain OK: N entries, head <hash>", or exit 1 and one line naming the first entry
whose content or link does not hold.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from dagy.audit_chain import list_entries, verify_remote
from dagy.entrypoints.cli import remote
from dagy.entrypoints.cli.remote import (JsonOption, ProfileOption, RemoteCliError,
                                        stdout_console, write_line)

audit_app = typer.Typer(help="List and verify the org's audit log of changes.",
                        no_args_is_help=True, pretty_exceptions_enable=False)


@audit_app.command("list")
def list_(
    resource_type: Annotated[Optional[str], typer.Option(
        "--resource-type", metavar="TYPE", help="deployment, run, schedule, sensor, ...")
    ] = None,
    resource_id: Annotated[Optional[str], typer.Option(
        "--resource-id", metavar="ID", help="One resource (best with --resource-type).")
    ] = None,
    actor: Annotated[Optional[str], typer.Option(
        "--actor", metavar="ACTOR", help='"user:<id>", "key:<id>" or "system".')] = None,
    since: Annotated[Optional[str], typer.Option(
        "--since", metavar="ISO-8601", help="Entries at or after this time.")] = None,
    until: Annotated[Optional[str], typer.Option(
        "--until", metavar="ISO-8601", help="Entries before this time.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000,
                                       help="How many, newest first.")] = 50,
    as_json: JsonOption = False,
    profile: ProfileOption = None,
) -> None:
    """The newest entries, filtered."""
    items = list_entries(remote.make_client(profile), limit=limit,
                         resource_type=resource_type, resource_id=resource_id, actor=actor,
                         since=since, until=until)
    if as_json:
        write_line(json.dumps(items))
        return
    table = Table("SEQ", "AT", "ACTOR", "ACTION", "RESOURCE", "REQUEST")
    for e in items:
        table.add_row(*(escape(str(v)) for v in (
            e["seq"], e["at"], e["actor"], e["action"],
            f"{e['resource_type']}/{e['resource_id']}", e.get("request_id") or "-")))
    stdout_console().print(table if items else "no audit entries")


@audit_app.command("verify")
def verify(
    expect_head: Annotated[Optional[str], typer.Option(
        "--expect-head", metavar="HASH",
        help="A head hash printed by an earlier verify: it must still be in the chain.")
    ] = None,
    profile: ProfileOption = None,
) -> None:
    """Recompute every hash and link of the org's chain here; exit 1 at the first break."""
    if expect_head is not None and not re.fullmatch(r"[0-9a-f]{64}", expect_head):
        raise RemoteCliError("--expect-head takes a head hash as verify prints it "
                             "(64 lower-case hex digits)")
    report = verify_remote(remote.make_client(profile), expect_head=expect_head)
    if report.broken is not None:
        sys.stderr.write(f"audit chain BROKEN at seq {report.broken.seq}: "
                         f"{report.broken.reason}\n")
        raise typer.Exit(1)
    write_line(f"audit chain OK: {report.entries} entries, head {report.head or '-'}")
