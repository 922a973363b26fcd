"""SQL audit log: insert and read only (the table has no update or delete path here).

On PostgreSQL, `last` first takes a transaction-scoped advisory lock keyed on the org,
so two transactions appending to one org's chain line up: the second reads the last
entry only after the first committed (or rolled back), and the chain never forks. The
unique (org_id, seq) key is the backstop. SQLite's BEGIN IMMEDIATE already runs writers
one at a time.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import select, text

from dagy.adapters.sql.rows import SqlRepository, from_row
from dagy.adapters.sql.tables import audit_logs
from dagy.adapters.values import check_limit, decode_cursor, encode_cursor, utc
from dagy.domain.audit import AuditEntry

_LOCK_SPACE = b"dagy-audit-chain:"


def chain_lock_key(org_id: str) -> int:
    """A signed 64-bit advisory-lock key for one org's chain (stable across processes)."""
    digest = hashlib.sha256(_LOCK_SPACE + org_id.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class SqlAuditLogRepository(SqlRepository):
    def append(self, entry: AuditEntry) -> None:
        self._guarded(audit_logs.insert(), _row(entry), f"audit entry {entry.seq} of this org")

    def append_many(self, entries: Sequence[AuditEntry]) -> None:
        if entries:
            self._guarded(audit_logs.insert(), [_row(e) for e in entries], "audit entries",
                          many=True)

    def last(self, org_id: str) -> AuditEntry | None:
        if self._conn.dialect.name == "postgresql":
            self._run(text("SELECT pg_advisory_xact_lock(:key)"),
                      {"key": chain_lock_key(org_id)}, what="audit chain lock")
        c = audit_logs.c
        row = self._run(select(audit_logs).where(c.org_id == org_id)
                        .order_by(c.seq.desc()).limit(1)).first()
        return _entry(row) if row else None

    def list(self, org_id: str, *, resource_type: str | None = None,
             resource_id: str | None = None, actor: str | None = None,
             since: datetime | None = None, until: datetime | None = None,
             limit: int = 50, cursor: str | None = None) -> tuple[list[AuditEntry], str | None]:
        check_limit(limit)
        after = decode_cursor(cursor, int)
        c = audit_logs.c
        query = select(audit_logs).where(c.org_id == org_id)
        for column, value in ((c.resource_type, resource_type), (c.resource_id, resource_id),
                              (c.actor, actor)):
            if value is not None:
                query = query.where(column == value)
        if since is not None:
            query = query.where(c.at >= utc(since))
        if until is not None:
            query = query.where(c.at < utc(until))
        if after is not None:
            query = query.where(c.seq < after[0])
        rows = list(self._run(query.order_by(c.seq.desc()).limit(limit + 1)))
        page = [_entry(row) for row in rows[:limit]]
        return page, encode_cursor([page[-1].seq]) if len(rows) > limit else None

    def in_order(self, org_id: str, *, after_seq: int = 0, limit: int = 500) -> list[AuditEntry]:
        check_limit(limit)
        c = audit_logs.c
        rows = self._run(select(audit_logs).where(c.org_id == org_id, c.seq > after_seq)
                         .order_by(c.seq).limit(limit))
        return [_entry(row) for row in rows]


def _row(entry: AuditEntry) -> dict[str, Any]:
    """The columns of an entry, built directly (an audited POST /runs writes one a run)."""
    return {"entry_id": entry.entry_id, "org_id": entry.org_id, "seq": entry.seq,
            "actor": entry.actor, "action": entry.action,
            "resource_type": entry.resource_type, "resource_id": entry.resource_id,
            "at": utc(entry.at), "before_json": entry.before, "after_json": entry.after,
            "ip": entry.ip, "request_id": entry.request_id, "prev_hash": entry.prev_hash,
            "entry_hash": entry.entry_hash}


def _entry(row: Any) -> AuditEntry:
    return from_row(AuditEntry, row, before=row.before_json, after=row.after_json)
