"""The SDK's settings: the one place on the SDK side that reads the environment and, through
dagy.profiles, `$DAGY_HOME/profiles.toml`. (The server reads its own settings with
dagy.entrypoints.settings; nothing else reads os.environ.)

- `DAGY_HOME` (default `~/.dagy`): where Dagy keeps local state. Nothing is written elsewhere.
- `DAGY_MAX_WORKERS`: thread-pool size for local runs.
- `DAGY_API_URL`, `DAGY_API_KEY`: the control plane a client talks to, before the profile.
- `DAGY_ORG`: the org (id or name) a person's requests act in (X-Dagy-Org), before the
  profile's `org`.
- `DAGY_DEBUG`: the command line prints tracebacks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_API_URL = "http://127.0.0.1:8484"


def dagy_home() -> Path:
    """The local state directory, created on first use."""
    home = Path(os.environ.get("DAGY_HOME") or Path.home() / ".dagy").expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


def default_max_workers() -> int:
    """Thread-pool size for local runs: DAGY_MAX_WORKERS, else min(32, cpus + 4)."""
    configured = os.environ.get("DAGY_MAX_WORKERS")
    if configured and configured.isdigit() and int(configured) > 0:
        return int(configured)
    return min(32, (os.cpu_count() or 1) + 4)


SECRET_PREFIX = "DAGY_SECRET_"


def secret_from_environment(name: str) -> str | None:
    """A local run's secret `name`: the environment variable DAGY_SECRET_<NAME>."""
    return os.environ.get(SECRET_PREFIX + name)


def debug_enabled() -> bool:
    """DAGY_DEBUG=1 (or true/yes): errors come with their traceback."""
    return os.environ.get("DAGY_DEBUG", "").lower() in ("1", "true", "yes")


@dataclass(frozen=True)
class Connection:
    """Where a client sends requests, and with which key (None: anonymous).

    `access_token`/`refresh_token`: a person's login pair from the profile (`dagy login`),
    used instead of the profile's `api_key` (an explicit or DAGY_API_KEY key wins over
    both); `org`: the X-Dagy-Org to send."""

    api_url: str
    api_key: str | None
    profile: str
    org: str | None = None
    access_token: str | None = None
    refresh_token: str | None = None


def org_from_environment() -> str | None:
    """DAGY_ORG, which wins over the profile's `org` (so `dagy orgs switch` can warn)."""
    return os.environ.get("DAGY_ORG") or None


def resolve_connection(api_url: str | None = None, api_key: str | None = None,
                       profile: str | None = None, org: str | None = None) -> Connection:
    """Arguments > DAGY_API_URL / DAGY_API_KEY / DAGY_ORG > the profile's table > the
    default URL. A login pair in the profile is used before the profile's `api_key`.

    The profile file is read only if something is still missing; a profile named
    explicitly must exist, the default `[local]` one may not."""
    from dagy.profiles import DEFAULT_PROFILE, load_profile, profiles_path

    api_url = api_url or os.environ.get("DAGY_API_URL") or None
    api_key = api_key or os.environ.get("DAGY_API_KEY") or None
    org = org or org_from_environment()
    name = profile or DEFAULT_PROFILE
    access = refresh = None
    if api_url is None or api_key is None or org is None:
        table = load_profile(profiles_path(dagy_home()), name, explicit=profile is not None)
        api_url = api_url or table.get("api_url")
        org = org or _text(table.get("org"))
        if api_key is None:
            access, refresh = _text(table.get("access_token")), _text(table.get("refresh_token"))
            api_key = None if access or refresh else table.get("api_key")
    return Connection(str(api_url or DEFAULT_API_URL).rstrip("/"), api_key, name, org,
                      access, refresh)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
