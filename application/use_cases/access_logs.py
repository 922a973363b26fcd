"""Reading the access log: one org's entries, newest first, a page at a time.

The cursor is the `log_id` of the last entry of the previous page, as text; the
org comes from the caller only, so no cursor or parameter reaches another org's rows.
"""

from __future__ import annotations

from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.domain.access_log import AccessLogEntry
from dagy.domain.errors import ValidationError


def parse_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isdigit() or len(cursor) > 18 or int(cursor) < 1:
        raise ValidationError("cursor is not a next_cursor this API returned")
    return int(cursor)


def list_access_logs(deps: Deps, principal: Principal, *, limit: int = 50,
                     cursor: str | None = None) -> tuple[list[AccessLogEntry], str | None]:
    """(entries, next_cursor); next_cursor is None on the last page. Entries recorded in
    the last second or so may not be written yet (the writer batches)."""
    before = parse_cursor(cursor)
    if deps.access_log is None:
        return [], None
    entries = deps.access_log.list(principal.org_id, limit=limit + 1, before=before)
    if len(entries) > limit:
        entries = entries[:limit]
        return entries, str(entries[-1].log_id)
    return entries, None
