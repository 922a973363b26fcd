"""`dagy api-keys create|list|revoke` and `dagy whoami`: service-account keys of the
profile's org, over the /api-keys API (see docs/security.md)."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from dagy.domain.permissions import Role
from dagy.entrypoints.cli import remote
from dagy.entrypoints.cli.remote import JsonOption, ProfileOption, stdout_console, write_line

api_keys_app = typer.Typer(help="Create, list and revoke API keys (service accounts).",
                           no_args_is_help=True, pretty_exceptions_enable=False)


@api_keys_app.command("create")
def create(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    role: Annotated[Optional[Role], typer.Option(
        "--role", metavar="viewer|operator|developer|admin|owner",
        help="The key's role (default: yours; never above it).")] = None,
    environment: Annotated[Optional[list[str]], typer.Option(
        "--environment", "-e", metavar="NAME",
        help="An environment the key may act in. Repeat for more (default: yours).")] = None,
    expires_at: Annotated[Optional[str], typer.Option(
        "--expires-at", metavar="ISO-8601", help="When the key stops working, with offset.")
    ] = None,
    profile: ProfileOption = None,
) -> None:
    """Make a key; the key itself is printed once (stdout), its id and role on stderr."""
    key = remote.make_client(profile).create_api_key(name, role=role.value if role else None, environments=environment,
                                                     expires_at=expires_at)
    remote._stderr().print(f"created key [bold]{escape(key['name'])}[/] ({key['key_id']}, "
                           f"role {key['role']}): it is shown only now", soft_wrap=True)
    write_line(key["api_key"])


@api_keys_app.command("list")
def list_(as_json: JsonOption = False, profile: ProfileOption = None) -> None:
    """The org's keys, newest first (never their secrets)."""
    items = remote.make_client(profile).list_api_keys()
    if as_json:
        write_line(json.dumps(items))
        return
    table = Table("ID", "NAME", "PREFIX", "ROLE", "ENVIRONMENTS", "EXPIRES", "LAST USED",
                  "REVOKED")
    for k in items:
        envs = ",".join(k["environments"]) if k.get("environments") else "all"
        table.add_row(*(escape(str(v) if v is not None else "-") for v in (
            k["key_id"], k["name"], k["prefix"], k["role"], envs, k.get("expires_at"),
            k.get("last_used_at"), "yes" if k["revoked"] else "no")))
    stdout_console().print(table if items else "no API keys")


@api_keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(metavar="KEY_ID")],
           profile: ProfileOption = None) -> None:
    """Revoke a key: the next request with it is refused."""
    remote.make_client(profile).revoke_api_key(key_id)
    write_line(f"{key_id} revoked")


def whoami(as_json: JsonOption = False, profile: ProfileOption = None) -> None:
    """Who the profile's key or login is: org, role and what it may do."""
    me = remote.make_client(profile).me()
    if as_json:
        write_line(json.dumps(me))
        return
    write_line(f"org {me['org_name']} ({me['org_id']})\nrole {me['role']}\n"
               f"user {me.get('email') or '-'}\ncredential {me.get('credential') or '-'}\n"
               f"key {me.get('key_id') or '-'}\npermissions {' '.join(me['permissions'])}")
    others = [o for o in me.get("orgs") or () if o.get("org_id") != me["org_id"]]
    for other in others:  # a person's other orgs: dagy orgs switch NAME acts in one
        write_line(f"also in {other.get('org_name')} ({other.get('org_id')}) as "
                   f"{other.get('role')}")
