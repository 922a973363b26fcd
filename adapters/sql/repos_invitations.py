"""SQL store of invitations (table invitations)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from dagy.adapters.sql.rows import SequencedRepository, from_row, to_row
from dagy.adapters.sql.tables import invitations
from dagy.adapters.values import utc
from dagy.domain.invitations import Invitation
from dagy.domain.permissions import Role

_C = invitations.c


def _invitation(row: Any) -> Invitation:
    return from_row(Invitation, row, role=Role(row.role))


class SqlInvitationRepository(SequencedRepository):
    def add(self, invitation: Invitation) -> None:
        self._guarded(invitations.insert(),
                      to_row(invitation, invitations, seq=self._sequence.next()),
                      f"invitation {invitation.invitation_id!r}")

    def get(self, org_id: str, invitation_id: str) -> Invitation | None:
        return self._one(_C.org_id == org_id, _C.invitation_id == invitation_id)

    def find(self, invitation_id: str) -> Invitation | None:
        return self._one(_C.invitation_id == invitation_id)

    def pending(self, org_id: str, now: datetime, *, limit: int = 50,
                cursor: str | None = None) -> tuple[list[Invitation], str | None]:
        query = select(invitations).where(*self._pending(org_id, now))
        return self._keyset_page(query, _C.seq, cursor, limit, _invitation)

    def pending_for_email(self, org_id: str, email: str, now: datetime) -> Invitation | None:
        row = self._run(select(invitations).where(*self._pending(org_id, now),
                                                  _C.email == email)
                        .order_by(_C.seq).limit(1)).first()
        return _invitation(row) if row else None

    def mark_accepted(self, invitation_id: str, when: datetime, user_id: str) -> bool:
        # compare-and-set: of two concurrent acceptances of one token, one updates a row
        done = self._run(update(invitations).where(_C.invitation_id == invitation_id,
                                                   _C.accepted_at.is_(None))
                         .values(accepted_at=utc(when), accepted_by=user_id),
                         what="invitation update")
        return done.rowcount == 1

    def delete(self, org_id: str, invitation_id: str) -> bool:
        done = self._run(delete(invitations).where(_C.org_id == org_id,
                                                   _C.invitation_id == invitation_id),
                         what="invitation delete")
        return done.rowcount > 0

    @staticmethod
    def _pending(org_id: str, now: datetime) -> tuple[Any, ...]:
        return _C.org_id == org_id, _C.accepted_at.is_(None), _C.expires_at > utc(now)

    def _one(self, *where: Any) -> Invitation | None:
        row = self._run(select(invitations).where(*where)).first()
        return _invitation(row) if row else None
