"""One answered API request, as the access log keeps it, and the limits of its fields.

The request path records as little as it can (a tuple appended to a buffer); the
writer's thread makes entries with `entry_from_record`, which bounds every text to its
column so that no request can make a batch fail to write (a user agent of 10 kB, a
path with a NUL from `%00`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

ANONYMOUS = "anonymous"  # the credential id of a request that presented none that worked
NO_ROUTE = "-"  # the route of a request no route matched (404, assets, preflights)

# column widths (adapters/sql/tables.py access_logs)
MAX_METHOD = 16
MAX_ROUTE = 300
MAX_PATH = 2000
MAX_CREDENTIAL = 64
MAX_IP = 64
MAX_USER_AGENT = 300
MAX_REQUEST_ID = 128
MAX_ORG = 64


@dataclass(frozen=True, slots=True)
class AccessLogEntry:
    """`route` is the route template (`/runs/{run_id}`), so the log can be grouped by
    operation and holds no ids there; `path` is what was asked. `org_id` is None when
    no org was known (a 401, a 404 no route matched)."""

    at: datetime
    method: str
    route: str
    path: str
    status: int
    latency_ms: float
    credential_id: str
    org_id: str | None
    client_ip: str
    user_agent: str
    request_id: str
    log_id: int | None = None  # assigned by the sink; orders entries (newest: highest)


def clip(text: object, limit: int) -> str:
    """`text` as a str of at most `limit` characters, without NULs (PostgreSQL refuses
    them in text)."""
    value = text if isinstance(text, str) else str(text)
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    return value[:limit]


def entry_from_record(record: tuple) -> AccessLogEntry:
    """An entry from what the middleware recorded: (epoch seconds, method, route, path,
    status, latency ms, credential id, org id, client IP, user agent, request id)."""
    (epoch, method, route, path, status, latency, credential, org, ip, agent,
     request_id) = record
    return AccessLogEntry(
        at=datetime.fromtimestamp(epoch, timezone.utc), method=clip(method, MAX_METHOD),
        route=clip(route, MAX_ROUTE), path=clip(path, MAX_PATH), status=int(status),
        latency_ms=round(float(latency), 3), credential_id=clip(credential, MAX_CREDENTIAL),
        org_id=None if org is None else clip(org, MAX_ORG), client_ip=clip(ip, MAX_IP),
        user_agent=clip(agent, MAX_USER_AGENT), request_id=clip(request_id, MAX_REQUEST_ID))


def retention_cutoff(now: datetime, days: int) -> datetime | None:
    """Entries older than this are deleted; None when `days` is 0 (kept forever)."""
    if days < 0:
        raise ValueError("retention days cannot be negative")
    return None if days == 0 else now - timedelta(days=days)
