"""`GET /access-logs`: the caller's org's access log (audit:read), newest first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from dagy.application.use_cases.access_logs import list_access_logs
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep
from dagy.entrypoints.api.pagination import DEFAULT_LIMIT, Limit, paged
from dagy.entrypoints.api.schemas_access_logs import AccessLogPage, AccessLogView
from dagy.entrypoints.api.schemas_common import errors

router = APIRouter(tags=["audit"])

LogCursor = Annotated[str | None, Query(pattern=r"^[1-9][0-9]{0,17}$",
                                        description="next_cursor from the previous page")]


@router.get("/access-logs", response_model=AccessLogPage, responses=errors())
def access_logs(deps: DepsDep, principal: PrincipalDep, limit: Limit = DEFAULT_LIMIT,
                cursor: LogCursor = None) -> dict[str, Any]:
    """One entry per request answered for this org (requests without a known org, such
    as 401s, are in the log but in no org's listing). Written in batches: the last
    second's requests may not be listed yet."""
    return paged(list_access_logs(deps, principal, limit=limit, cursor=cursor),
                 AccessLogView.from_entity)
