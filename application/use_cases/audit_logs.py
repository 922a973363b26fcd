"""Reading the audit log: one org's entries, filtered and newest first, or its whole
chain oldest first, a page at a time, for a client to verify (`dagy audit verify`).

The org comes from the caller only: no filter, cursor or seq reaches another org's
entries. Reading needs `audit:read` (entrypoints/api/permissions.py).
"""

from __future__ import annotations

from datetime import datetime

from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.domain.audit import AuditEntry
from dagy.domain.errors import ValidationError

MAX_CHAIN_PAGE = 1000
MAX_SEQ = 2**63 - 1


def list_audit_logs(deps: Deps, principal: Principal, *, resource_type: str | None = None,
                    resource_id: str | None = None, actor: str | None = None,
                    since: datetime | None = None, until: datetime | None = None,
                    limit: int = 50,
                    cursor: str | None = None) -> tuple[list[AuditEntry], str | None]:
    """Entries newest first, each filter narrowing the others; `since <= at < until`
    (an empty window lists nothing)."""
    with deps.uow() as uow:
        return uow.audit_logs.list(principal.org_id, resource_type=resource_type,
                                   resource_id=resource_id, actor=actor, since=since,
                                   until=until, limit=limit, cursor=cursor)


def audit_chain(deps: Deps, principal: Principal, *, after_seq: int = 0,
                limit: int = 500) -> tuple[list[AuditEntry], int | None]:
    """(entries with seq > after_seq oldest first, the after_seq of the next page or None
    when this page reached the end)."""
    if isinstance(after_seq, bool) or not isinstance(after_seq, int) \
            or not 0 <= after_seq <= MAX_SEQ:
        raise ValidationError(f"after_seq must be an integer from 0 to {MAX_SEQ}")
    if not 1 <= limit <= MAX_CHAIN_PAGE:
        raise ValidationError(f"limit must be from 1 to {MAX_CHAIN_PAGE}")
    with deps.uow() as uow:
        entries = uow.audit_logs.in_order(principal.org_id, after_seq=after_seq,
                                          limit=limit + 1)
    more = len(entries) > limit
    entries = entries[:limit]
    return entries, (entries[-1].seq if more else None)
