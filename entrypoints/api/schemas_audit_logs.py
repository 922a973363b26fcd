"""Wire model of an audit-log entry (`GET /audit-logs`, `GET /audit-logs/chain`).

Every field the entry's hash covers is in the answer, so a client can recompute the
chain on its own (dagy.domain.audit.verify_chain): `at` is UTC with six fraction digits.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from dagy.entrypoints.api.schemas_common import EntityView, Page, Timestamp


class AuditLogView(EntityView):
    entry_id: str
    org_id: str
    seq: int = Field(description="1, 2, ... per org: the entry's place in the chain")
    actor: str = Field(description='"user:<id>", "key:<id>" or "system"')
    action: str = Field(description='"<resource>.<verb>", e.g. "deployment.update"')
    resource_type: str
    resource_id: str
    at: Timestamp
    before: Any = Field(description="the resource's public fields before (secrets masked "
                                    "as ***); null for a creation")
    after: Any = Field(description="and after; null for a deletion")
    ip: str | None = Field(description="the client's address, when over HTTP")
    request_id: str | None = Field(description="the request's X-Request-Id")
    prev_hash: str = Field(description="entry_hash of the previous entry (64 zeros first)")
    entry_hash: str = Field(description="SHA-256 over every other field (domain/audit.py)")


AuditLogPage = Page[AuditLogView]


class AuditChainPage(BaseModel):
    items: list[AuditLogView]
    next_after_seq: int | None = Field(description="pass as `after_seq` for the next page; "
                                                   "null on the last page")
