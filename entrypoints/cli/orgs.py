"""`dagy orgs ...`, `dagy members ...` and `dagy invitations ...`: organizations, their
members and invitations, over the /orgs API (see docs/security.md).

Commands act in the profile's org: the `org` field of the profile (written by `dagy orgs
switch`), which the client sends as X-Dagy-Org; DAGY_ORG overrides it. Members are named
by user id or email. An invitation's token is printed once, on stdout; accepting one
needs no login (the token is the credential) and reads the password from a hidden prompt
or, with --password-stdin, from stdin's first line (never a command-line argument).
"""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from dagy.client import DagyApiError, DagyClient
from dagy.domain.permissions import Role
from dagy.entrypoints.cli import remote
from dagy.entrypoints.cli.sessions import read_password
from dagy.entrypoints.cli.remote import (JsonOption, ProfileOption, RemoteCliError,
                                         stdout_console, write_line)
from dagy.entrypoints.profiles import write_profile
from dagy.profiles import DEFAULT_PROFILE, profiles_path
from dagy.settings import dagy_home, org_from_environment, resolve_connection

ROLES = "viewer|operator|developer|admin|owner"

orgs_app = typer.Typer(help="Create, list and switch organizations.", no_args_is_help=True,
                       pretty_exceptions_enable=False)
members_app = typer.Typer(help="List, invite, re-role and remove the org's members.",
                          no_args_is_help=True, pretty_exceptions_enable=False)
invitations_app = typer.Typer(help="Accept, list and revoke invitations.",
                              no_args_is_help=True, pretty_exceptions_enable=False)


@orgs_app.command("create")
def create(name: Annotated[str, typer.Argument(metavar="NAME")],
           profile: ProfileOption = None) -> None:
    """Make an org you own (a logged-in person only); `dagy orgs switch NAME` selects it."""
    org = remote.make_client(profile).create_org(name)
    remote._stderr().print(f"created org [bold]{escape(org['name'])}[/] ({org['org_id']}); "
                           f"you are its owner. Switch to it: dagy orgs switch "
                           f"{escape(org['name'])}", soft_wrap=True)
    write_line(org["org_id"])


@orgs_app.command("list")
def list_(as_json: JsonOption = False, profile: ProfileOption = None) -> None:
    """Your orgs and your role in each; * marks the one commands act in."""
    client = remote.make_client(profile)
    current = _current_org(client)
    client.org = None  # list from the default org: the selected one may be gone
    items = client.list_orgs()
    if as_json:
        write_line(json.dumps(items))
        return
    table = Table("", "NAME", "ID", "ROLE", "CREATED")
    for o in items:
        table.add_row("*" if o["org_id"] == current else "", *(escape(str(v or "-")) for v in (
            o["name"], o["org_id"], o["role"], o.get("created_at"))))
    stdout_console().print(table)


@orgs_app.command("switch")
def switch(name: Annotated[str, typer.Argument(metavar="NAME")],
           profile: ProfileOption = None) -> None:
    """Act in org NAME from now on: stored as the profile's `org` (sent as X-Dagy-Org)."""
    client = remote.make_client(profile)
    client.org = None  # list from the default org: the selected one may be gone
    found = [o for o in client.list_orgs() if name in (o["name"], o["org_id"])]
    if not found:
        raise RemoteCliError(f"you are not a member of an org named {name!r} "
                             "(dagy orgs list shows yours)")
    org = found[0]
    profile_name = profile or DEFAULT_PROFILE
    path = profiles_path(dagy_home())
    write_profile(path, profile_name, {"org": org["name"]})
    if org_from_environment():
        remote._stderr().print("note: DAGY_ORG is set and overrides the profile's org")
    write_line(f"now acting in {org['name']} ({org['org_id']}) as {org['role']}; "
               f"saved in profile [{profile_name}]")


def _current_org(client: DagyClient) -> str | None:
    """The id of the org the client's commands act in; None if the selected one is gone."""
    try:
        return client.me()["org_id"]
    except DagyApiError as exc:
        if exc.status != 404:
            raise
        return None


def _org_id(client: DagyClient) -> str:
    return client.me()["org_id"]


def _member_id(client: DagyClient, org_id: str, who: str) -> str:
    """A user id: `who` itself, or the id of the member with email `who`."""
    if "@" not in who:
        return who
    email = who.strip().lower()
    for member in client.list_members(org_id):
        if (member.get("email") or "").lower() == email:
            return member["user_id"]
    raise RemoteCliError(f"no member with email {who!r} in this org (dagy members list)")


@members_app.command("list")
def members_list(as_json: JsonOption = False, profile: ProfileOption = None) -> None:
    """The org's members, oldest first."""
    client = remote.make_client(profile)
    items = client.list_members(_org_id(client))
    if as_json:
        write_line(json.dumps(items))
        return
    table = Table("USER", "EMAIL", "ROLE", "JOINED")
    for m in items:
        table.add_row(*(escape(str(v or "-")) for v in (m["user_id"], m.get("email"),
                                                         m["role"], m.get("joined_at"))))
    stdout_console().print(table)


@members_app.command("invite")
def invite(email: Annotated[str, typer.Argument(metavar="EMAIL")],
           role: Annotated[Role, typer.Option("--role", metavar=ROLES,
                                              help="The invitee's role (never above yours).")
                           ] = Role.VIEWER,
           profile: ProfileOption = None) -> None:
    """Invite EMAIL; the token is printed once (stdout): give it to the invitee, who runs
    `dagy invitations accept TOKEN`. It expires in 7 days."""
    client = remote.make_client(profile)
    invitation = client.invite(_org_id(client), email, role.value)
    remote._stderr().print(f"invited {escape(invitation['email'])} as {invitation['role']} "
                           f"({invitation['invitation_id']}, expires "
                           f"{invitation['expires_at']}): the token is shown only now",
                           soft_wrap=True)
    write_line(invitation["token"])


@members_app.command("role")
def role(who: Annotated[str, typer.Argument(metavar="USER_OR_EMAIL")],
         new_role: Annotated[Role, typer.Argument(metavar="ROLE", help=ROLES)],
         profile: ProfileOption = None) -> None:
    """Give a member another role (never above yours; the last owner stays owner)."""
    client = remote.make_client(profile)
    org_id = _org_id(client)
    member = client.set_member_role(org_id, _member_id(client, org_id, who), new_role.value)
    write_line(f"{member.get('email') or member['user_id']} is now {member['role']}")


@members_app.command("remove")
def remove(who: Annotated[str, typer.Argument(metavar="USER_OR_EMAIL")],
           profile: ProfileOption = None) -> None:
    """Remove a member (yourself: leave the org); their API keys here are revoked."""
    client = remote.make_client(profile)
    org_id = _org_id(client)
    client.remove_member(org_id, _member_id(client, org_id, who))
    write_line(f"{who} removed")


@invitations_app.command("accept")
def accept(token: Annotated[str, typer.Argument(metavar="TOKEN")],
           password_stdin: Annotated[bool, typer.Option(
               "--password-stdin", help="Read the password from the first line of stdin.")
           ] = False,
           api_url: Annotated[Optional[str], typer.Option(
               "--api-url", metavar="URL", help="The control plane (default: DAGY_API_URL, "
               "else the profile's api_url, else the local server).")] = None,
           profile: ProfileOption = None) -> None:
    """Join the org that invited you: a new account gets this password (12 characters or
    more); an existing one must give its own. Then: dagy login --email EMAIL."""
    url = resolve_connection(api_url, profile=profile).api_url
    password = read_password(password_stdin)
    joined = DagyClient(api_url=url.rstrip("/")).accept_invitation(token, password)
    write_line(f"joined {joined['org_name']} as {joined['role']} ({joined['email']}); "
               f"log in with: dagy login --email {joined['email']}")


@invitations_app.command("list")
def invitations_list(as_json: JsonOption = False, profile: ProfileOption = None) -> None:
    """The org's pending invitations (never their tokens)."""
    client = remote.make_client(profile)
    items = client.list_invitations(_org_id(client))
    if as_json:
        write_line(json.dumps(items))
        return
    table = Table("ID", "EMAIL", "ROLE", "INVITED BY", "EXPIRES")
    for i in items:
        table.add_row(*(escape(str(v or "-")) for v in (i["invitation_id"], i["email"],
                                                         i["role"], i["invited_by"],
                                                         i["expires_at"])))
    stdout_console().print(table if items else "no pending invitations")


@invitations_app.command("revoke")
def revoke(invitation_id: Annotated[str, typer.Argument(metavar="INVITATION_ID")],
           profile: ProfileOption = None) -> None:
    """Revoke a pending invitation: its token no longer works."""
    client = remote.make_client(profile)
    client.revoke_invitation(_org_id(client), invitation_id)
    write_line(f"{invitation_id} revoked")
