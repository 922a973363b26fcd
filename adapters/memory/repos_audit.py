"""In-memory audit log, with the SQL adapter's semantics (tests/contract holds both).

Append-only: rows are keyed by (org_id, seq) and nothing here replaces or removes one.
Units of work on the memory store already run one at a time, so `last` needs no lock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from dagy.adapters.memory.store import Repo, Tx, copy_of, keyset_page, stored_copy
from dagy.adapters.values import check_limit, decode_cursor, encode_cursor, utc
from dagy.domain.audit import AuditEntry

TABLE = "audit_logs"


class InMemoryAuditLogRepository(Repo):
    def __init__(self, tx: Tx) -> None:
        super().__init__(tx)
        tx.tables.setdefault(TABLE, {})  # a table the store did not create: added on first use

    def append(self, entry: AuditEntry) -> None:
        key = (entry.org_id, entry.seq)
        self._conflict_if(self._tx.get(TABLE, key) is not None,
                          f"audit entry {entry.seq} of this org")
        self._tx.put(TABLE, key, stored_copy(entry))

    def append_many(self, entries: Sequence[AuditEntry]) -> None:
        keys = [(e.org_id, e.seq) for e in entries]
        self._conflict_if(len(set(keys)) != len(keys)
                          or any(self._tx.get(TABLE, key) is not None for key in keys),
                          "audit entries at these places of the chain")
        for key, entry in zip(keys, entries):
            self._tx.put(TABLE, key, stored_copy(entry))

    def last(self, org_id: str) -> AuditEntry | None:
        mine = self._of(org_id)
        return copy_of(max(mine, key=lambda e: e.seq)) if mine else None

    def list(self, org_id: str, *, resource_type: str | None = None,
             resource_id: str | None = None, actor: str | None = None,
             since: datetime | None = None, until: datetime | None = None,
             limit: int = 50, cursor: str | None = None) -> tuple[list[AuditEntry], str | None]:
        start, end = utc(since), utc(until)
        rows = [e for e in self._of(org_id)
                if (resource_type is None or e.resource_type == resource_type)
                and (resource_id is None or e.resource_id == resource_id)
                and (actor is None or e.actor == actor)
                and (start is None or e.at >= start) and (end is None or e.at < end)]
        page, last = keyset_page(rows, lambda e: (e.seq,), limit, decode_cursor(cursor, int),
                                 newest_first=True)
        return [copy_of(e) for e in page], encode_cursor(list(last)) if last else None

    def in_order(self, org_id: str, *, after_seq: int = 0, limit: int = 500) -> list[AuditEntry]:
        check_limit(limit)
        rows = sorted((e for e in self._of(org_id) if e.seq > after_seq), key=lambda e: e.seq)
        return [copy_of(e) for e in rows[:limit]]

    def _of(self, org_id: str) -> list[AuditEntry]:
        return [e for e in self._tx.rows(TABLE) if e.org_id == org_id]
