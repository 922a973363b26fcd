"""Value rules every repository adapter applies, so memory and SQL store the same things.

Pure standard library: the SQL repositories import these too.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from typing import Any

from dagy.domain.errors import ValidationError
from dagy.domain.json_values import UNSERIALIZABLE as UNSERIALIZABLE  # `output_ref` of an unstored result
from dagy.domain.json_values import stored_result

def utc(value: datetime | None) -> datetime | None:
    """Timezone-aware UTC; naive values are taken to be UTC already (SQLite drops tzinfo)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def now() -> datetime:
    return datetime.now(timezone.utc)


def persistable(value: Any) -> tuple[bool, Any]:
    """(True, the stored copy) or (False, None): the domain's one rule for results
    (dagy.domain.json_values.stored_result), as every repository applies it. Tuples are
    stored as lists; NaN/infinity, non-string keys, objects, values deeper than
    MAX_DEPTH or holding lone surrogates are not stored (the task run is marked
    UNSERIALIZABLE)."""
    stored, marker = stored_result(value)
    return marker is None, stored


class InvalidPageError(ValidationError, ValueError):
    """A cursor no list returned, or a limit below 1: the caller's mistake, not ours."""


def check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidPageError(f"limit must be a positive integer, got {limit!r}")
    return limit


def encode_cursor(key: list[Any]) -> str:
    """Opaque cursor: URL-safe base64 of the JSON sort key of the last item returned."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, *types: type) -> tuple | None:
    """The sort key inside a cursor `encode_cursor` made, checked against `types`."""
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, RecursionError):  # RecursionError: crafted deep nesting
        key = None
    if (not isinstance(key, list) or len(key) != len(types)
            or not all(_cursor_part(v, t) for v, t in zip(key, types))):
        raise InvalidPageError(f"invalid pagination cursor {cursor[:100]!r}")
    return tuple(key)


def _cursor_part(value: Any, kind: type) -> bool:
    """A sort-key part of the expected type; integers fit a signed 64-bit column."""
    if not isinstance(value, kind) or isinstance(value, bool):
        return False
    return kind is not int or -(2**63) <= value < 2**63


def encode_time_cursor(at: datetime, ident: str) -> str:
    return encode_cursor([at.isoformat(), ident])


def decode_time_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    """(timestamp, id) of a newest-first list's cursor."""
    key = decode_cursor(cursor, str, str)
    if key is None:
        return None
    try:
        return utc(datetime.fromisoformat(key[0])), key[1]
    except ValueError:
        raise InvalidPageError(f"invalid pagination cursor {cursor!r}") from None
