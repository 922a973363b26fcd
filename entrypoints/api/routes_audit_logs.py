"""`GET /audit-logs` (filtered, newest first) and `GET /audit-logs/chain` (the whole
chain oldest first, for verifying it): the caller's org's audit log, `audit:read`."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Query

from dagy.application.use_cases import audit_logs
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep
from dagy.entrypoints.api.pagination import DEFAULT_LIMIT, Cursor, Limit, cursor_errors, paged
from dagy.entrypoints.api.query_times import QueryTime
from dagy.entrypoints.api.schemas_audit_logs import AuditChainPage, AuditLogPage, AuditLogView
from dagy.entrypoints.api.schemas_common import errors

router = APIRouter(tags=["audit"])

Text = Annotated[str | None, Query(min_length=1, max_length=300)]


@router.get("/audit-logs", response_model=AuditLogPage, responses=errors())
def list_audit_logs(deps: DepsDep, principal: PrincipalDep, resource_type: Text = None,
                    resource_id: Text = None, actor: Text = None,
                    since: QueryTime | None = None, until: QueryTime | None = None,
                    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> dict[str, Any]:
    """One entry per mutation in this org, newest first: by resource (`resource_type`,
    with `resource_id`), by `actor` ("user:<id>", "key:<id>", "system") and by time
    (`since` <= at < `until`; a time without offset is UTC)."""
    with cursor_errors(cursor):
        result = audit_logs.list_audit_logs(
            deps, principal, resource_type=resource_type, resource_id=resource_id,
            actor=actor, since=_utc(since), until=_utc(until), limit=limit, cursor=cursor)
    return paged(result, AuditLogView.from_entity)


@router.get("/audit-logs/chain", response_model=AuditChainPage, responses=errors())
def audit_chain(deps: DepsDep, principal: PrincipalDep,
                after_seq: Annotated[int, Query(ge=0, le=audit_logs.MAX_SEQ)] = 0,
                limit: Annotated[int, Query(ge=1, le=audit_logs.MAX_CHAIN_PAGE)] = 500,
                ) -> dict[str, Any]:
    """The org's entries oldest first from `after_seq`: page through with
    `next_after_seq` and recompute the hashes (`dagy audit verify` does)."""
    entries, next_after = audit_logs.audit_chain(deps, principal, after_seq=after_seq,
                                                 limit=limit)
    return {"items": [AuditLogView.from_entity(e) for e in entries],
            "next_after_seq": next_after}


def _utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)
