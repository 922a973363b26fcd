"""In-memory store of invitations (the same semantics as adapters/sql/repos_invitations.py)."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from dagy.adapters.memory.store import Repo, Tx, copy_of, keyset_page, stored_copy
from dagy.adapters.values import decode_cursor, encode_cursor, utc
from dagy.domain.invitations import Invitation


TABLE = "invitations"


class InMemoryInvitationRepository(Repo):
    """Rows are (seq, Invitation) keyed by invitation_id; seq keeps creation order."""

    def __init__(self, tx: Tx) -> None:
        super().__init__(tx)
        tx.tables.setdefault(TABLE, {})  # a table the store did not create: added on first use

    def add(self, invitation: Invitation) -> None:
        self._conflict_if(self._tx.get(TABLE, invitation.invitation_id) is not None,
                          f"invitation {invitation.invitation_id!r}")
        self._tx.put(TABLE, invitation.invitation_id,
                     (self._tx.sequence.next(), stored_copy(invitation)))

    def get(self, org_id: str, invitation_id: str) -> Invitation | None:
        found = self.find(invitation_id)
        return found if found is not None and found.org_id == org_id else None

    def find(self, invitation_id: str) -> Invitation | None:
        row = self._tx.get(TABLE, invitation_id)
        return copy_of(row[1]) if row else None

    def pending(self, org_id: str, now: datetime, *, limit: int = 50,
                cursor: str | None = None) -> tuple[list[Invitation], str | None]:
        rows = [r for r in self._rows() if r[1].org_id == org_id and r[1].pending_at(utc(now))]
        page, last = keyset_page(rows, lambda r: (r[0],), limit, decode_cursor(cursor, int))
        return [copy_of(i) for _, i in page], encode_cursor(list(last)) if last else None

    def pending_for_email(self, org_id: str, email: str, now: datetime) -> Invitation | None:
        found = sorted(r for r in self._rows() if r[1].org_id == org_id
                       and r[1].email == email and r[1].pending_at(utc(now)))
        return copy_of(found[0][1]) if found else None

    def mark_accepted(self, invitation_id: str, when: datetime, user_id: str) -> bool:
        row = self._tx.get(TABLE, invitation_id)
        if row is None or row[1].accepted_at is not None:
            return False
        accepted = dataclasses.replace(row[1], accepted_at=utc(when), accepted_by=user_id)
        self._tx.put(TABLE, invitation_id, (row[0], accepted))
        return True

    def delete(self, org_id: str, invitation_id: str) -> bool:
        if self.get(org_id, invitation_id) is None:
            return False
        self._tx.delete(TABLE, invitation_id)
        return True

    def _rows(self) -> list[tuple[int, Invitation]]:
        return list(self._tx.rows(TABLE))
