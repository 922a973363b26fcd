"""Rules every storage adapter applies alike: artifact key syntax, log cursors, errors.

Kept outside any one adapter package so that memory, local, SQL and AWS adapters share
them without importing each other.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from dagy.domain.errors import DagyError

MAX_KEY_LENGTH = 1024
_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
_MAX_CURSOR = 2**63 - 1


class ArtifactStoreError(DagyError):
    """An artifact key or URI is invalid, or the store could not be read or written."""


def key_problem(key: object) -> str | None:
    """Why `key` is not a valid artifact key, or None when it is."""
    if not isinstance(key, str) or not key:
        return "an artifact key must be a non-empty string"
    if len(key) > MAX_KEY_LENGTH:
        return f"an artifact key is at most {MAX_KEY_LENGTH} characters (got {len(key)})"
    if key.startswith("/"):
        return f"artifact key {key!r} must be relative, not start with '/'"
    for segment in key.split("/"):
        if not segment:
            return f"artifact key {key!r} has an empty path segment"
        if segment in (".", ".."):
            return f"artifact key {key!r} must not contain '.' or '..' segments"
        if not _SEGMENT.fullmatch(segment):
            return (f"artifact key {key!r}: segment {segment!r} must use only letters, digits, "
                    f"'.', '_' and '-', and not start with '.'")
    return None


def check_key(key: object) -> str:
    problem = key_problem(key)
    if problem:
        raise ArtifactStoreError(problem)
    return key  # type: ignore[return-value]



class LogSinkError(DagyError):
    """Logs could not be written or read, or a cursor or limit is invalid."""


def to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise LogSinkError(f"limit must be a positive integer (got {limit!r})")
    return limit


def parse_cursor(cursor: str | None) -> int:
    """The non-negative integer inside an opaque cursor; 0 for no cursor."""
    if cursor is None:
        return 0
    if (not isinstance(cursor, str) or not cursor.isascii() or not cursor.isdigit()
            or len(cursor) > 19 or int(cursor) > _MAX_CURSOR):
        raise LogSinkError(f"invalid log cursor {cursor!r}: pass back a cursor read returned")
    return int(cursor)
