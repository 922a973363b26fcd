"""Port: the audit log, an append-only store of AuditEntry (domain/audit.py) per org.

Contract (tests/contract/test_audit_log_contract.py runs it on every adapter):

- There is no update and no delete: entries are only ever appended.
- `append(entry)` stores a sealed entry in the caller's transaction; a second entry with
  the same (org_id, seq) is a ConflictError, so a forked chain cannot be stored.
  `append_many(entries)` appends several at once, all or none.
- `last(org_id)` returns the org's entry with the highest seq (None for an empty log).
  Where concurrent transactions could interleave (PostgreSQL), it first takes a lock on
  the org's chain held until the transaction ends, so the caller's read of the last
  entry and its append are one step: concurrent appends line up, never fork.
- `list(...)` is newest first (by seq), filtered by resource (type and id), actor and a
  half-open time window `since <= at < until`, keyset-paginated by `cursor`.
- `in_order(org_id, after_seq=..., limit=...)` returns entries with seq > after_seq,
  oldest first: the order `verify_chain` walks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, Sequence

from dagy.domain.audit import AuditEntry

AuditPage = tuple[list[AuditEntry], str | None]


class AuditLogRepository(Protocol):
    def append(self, entry: AuditEntry) -> None: ...
    def append_many(self, entries: Sequence[AuditEntry]) -> None: ...
    def last(self, org_id: str) -> AuditEntry | None: ...
    def list(self, org_id: str, *, resource_type: str | None = None,
             resource_id: str | None = None, actor: str | None = None,
             since: datetime | None = None, until: datetime | None = None,
             limit: int = 50, cursor: str | None = None) -> AuditPage: ...
    def in_order(self, org_id: str, *, after_seq: int = 0,
                 limit: int = 500) -> list[AuditEntry]: ...
