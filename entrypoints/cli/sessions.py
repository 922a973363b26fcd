"""`dagy login` and `dagy logout`: a person's session, kept in a CLI profile.

`dagy login` asks POST /auth/login for an access and a refresh token and stores both in
the profile (default `[local]`; `$DAGY_HOME/profiles.toml`, mode 0600), where every
later command finds them: the client sends the access token and refreshes it on 401
(dagy.client_sessions). The password is read with a hidden prompt, or from the first
line of stdin with --password-stdin (for scripts; never a command-line argument, which
other users could read from the process list). `dagy logout` ends the session on the
server and empties the profile's token fields.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from dagy.client import DagyApiError, DagyClient
from dagy.entrypoints.cli.remote import ProfileOption, RemoteCliError
from dagy.profile_sessions import clear_tokens, read_tokens, save_tokens
from dagy.profiles import DEFAULT_PROFILE, profiles_path, read_profile
from dagy.settings import dagy_home


def login(
    email: Annotated[Optional[str], typer.Option(
        "--email", metavar="EMAIL", help="Who logs in (asked for when not given).")] = None,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from the first line of stdin.")] = False,
    api_url: Annotated[Optional[str], typer.Option(
        "--api-url", metavar="URL", help="The control plane (default: DAGY_API_URL, else "
        "the profile's api_url, else the local profile's).")] = None,
    profile: ProfileOption = None,
) -> None:
    """Log in as a person; the tokens are stored in the profile for later commands."""
    name = profile or DEFAULT_PROFILE
    path = profiles_path(dagy_home())
    # a profile that does not exist yet is made here: its URL is resolved as the
    # default profile's would be (--api-url, DAGY_API_URL, [local], the local server)
    known = profile is None or bool(read_profile(path, name))
    client = DagyClient(api_url=api_url, profile=profile if known else None)
    url = client.api_url
    email = email or typer.prompt("Email")
    password = read_password(password_stdin)
    pair = client.login(email.strip(), password)
    save_tokens(path, name, pair["access_token"], pair["refresh_token"], api_url=url)
    minutes = max(1, round(pair["expires_in"] / 60))
    typer.echo(f"logged in as {email.strip()} at {url}; tokens in profile [{name}] of {path} "
               f"(access token refreshed every {minutes} min)", err=True)


def logout(profile: ProfileOption = None) -> None:
    """End the profile's session on the server and forget its tokens."""
    name = profile or DEFAULT_PROFILE
    path = profiles_path(dagy_home())
    access, _ = read_tokens(path, name)
    if access is None:
        raise RemoteCliError(f"not logged in: profile [{name}] holds no session "
                             "(dagy login makes one)")
    client = DagyClient(profile=profile)
    ended = True
    try:
        client.logout()
    except DagyApiError as exc:
        if exc.status != 401:
            raise
        ended = False  # already revoked (or the server forgot it): forget it here too
    clear_tokens(path, name)
    typer.echo(f"logged out of {client.api_url}" if ended else
               "the session had already ended; its tokens are removed from the profile",
               err=True)


def read_password(from_stdin: bool) -> str:
    """A password from one line of stdin (--password-stdin) or a hidden prompt."""
    if not from_stdin:
        return typer.prompt("Password", hide_input=True)
    line = sys.stdin.readline()
    if not line.strip():
        raise RemoteCliError("--password-stdin: stdin holds no password")
    return line.rstrip("\r\n")
