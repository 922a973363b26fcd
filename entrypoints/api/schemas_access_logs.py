"""Wire model of an access-log entry (`GET /access-logs`)."""

from __future__ import annotations

from pydantic import Field

from dagy.entrypoints.api.schemas_common import EntityView, Page, Timestamp


class AccessLogView(EntityView):
    log_id: int = Field(description="increases with every entry; the page cursor")
    at: Timestamp
    method: str
    route: str = Field(description="the route template matched, e.g. /runs/{run_id}; "
                                   "'-' when none matched")
    path: str
    status: int
    latency_ms: float
    credential_id: str = Field(description="the API key id or token id; 'anonymous'")
    client_ip: str
    user_agent: str
    request_id: str


AccessLogPage = Page[AccessLogView]
