"""Date-time query parameters (`created_after`, a preview's `after`): strict ISO 8601.

Pydantic's lax datetime parsing takes `0.5` as a Unix timestamp and accepts offsets that
push an instant past year 9999 once converted to UTC, which the datastores then failed
on (a 500). Here a time is an ISO 8601 date-time only, converted to UTC when it has an
offset (an instant outside the representable range is a 422); a time without an offset
is left naive for the route to interpret.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import BeforeValidator

_ISO_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:\d{2})?")
EXAMPLE = "2027-03-26T00:00:00Z"


def parse_query_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE_TIME.fullmatch(value):
        raise ValueError(f"must be an ISO 8601 date-time such as {EXAMPLE}")
    try:
        parsed = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"is not a valid date-time (e.g. {EXAMPLE})") from None
    if parsed.tzinfo is None:
        return parsed
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError("is outside the representable range once converted to UTC") from None


QueryTime = Annotated[datetime, BeforeValidator(parse_query_time)]
"""A query parameter holding a strict ISO 8601 date-time (OpenAPI: format date-time)."""
