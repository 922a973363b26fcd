"""A person's login tokens in a profile of `$DAGY_HOME/profiles.toml`.

`dagy login` stores the access and refresh token (from POST /auth/login) in the profile's
table as `access_token` / `refresh_token`; DagyClient sends the access token and, when
the server answers 401, exchanges the refresh token for a new pair and stores that here
too, so the next process starts from the current pair. (A refresh token is good for one
exchange: a second use of it revokes the whole session, so the pair must be written back
at once.) `dagy logout` empties both fields. An empty field reads as absent.

The file goes through dagy.profiles, its one reader and writer; this module only writes
it privately (mode 0600 from its first byte, replaced atomically), since it holds
credentials.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from dagy.profiles import read_profile, write_profile

TOKEN_FIELDS = ("access_token", "refresh_token")


def read_tokens(path: Path, profile: str) -> tuple[str | None, str | None]:
    """(access token, refresh token) stored in `profile`; None for each one missing."""
    table = read_profile(path, profile)
    access, refresh = (table.get(name) for name in TOKEN_FIELDS)
    return (access if isinstance(access, str) and access else None,
            refresh if isinstance(refresh, str) and refresh else None)


def save_tokens(path: Path, profile: str, access: str, refresh: str,
                api_url: str | None = None) -> bool:
    """Store a new pair (and the URL it is for) in `profile`; False if nothing changed."""
    values = {"access_token": access, "refresh_token": refresh}
    if api_url is not None:
        values = {"api_url": api_url, **values}
    return write_profile(path, profile, values, write=write_private_text)


def clear_tokens(path: Path, profile: str) -> bool:
    """Forget the profile's pair; False if it held none."""
    if read_tokens(path, profile) == (None, None):
        return False
    return write_profile(path, profile, {name: "" for name in TOKEN_FIELDS},
                         write=write_private_text)


def write_private_text(path: Path, text: str) -> None:
    """Replace `path` with `text` atomically; the file is 0600 from its first byte (a
    mkstemp file) and its directory 0700 when this makes it."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
