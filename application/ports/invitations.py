"""Port: invitations to join an organization (domain/invitations.py).

Contract (tests/contract/test_invitation_contract.py runs it on every adapter):

- `add` stores an invitation; a second one with the same id is a ConflictError.
- `get(org_id, invitation_id)` is the org's invitation or None (another org's: None);
  `find(invitation_id)` is the invitation in any org, for accepting by token (the caller
  checks the token's secret).
- `pending(org_id, now)` lists the org's invitations neither accepted nor expired at
  `now`, oldest first, keyset-paginated; `pending_for_email(org_id, email, now)` is the
  one pending invitation of that (lower-cased) email, or None.
- `mark_accepted(invitation_id, when, user_id)` is a compare-and-set: it sets
  `accepted_at`/`accepted_by` only on an invitation not yet accepted and returns whether
  it did, so of two concurrent acceptances exactly one wins.
- `delete(org_id, invitation_id)` removes it and returns whether there was one.
Timestamps come back in UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from dagy.domain.invitations import Invitation


class InvitationRepository(Protocol):
    def add(self, invitation: Invitation) -> None: ...
    def get(self, org_id: str, invitation_id: str) -> Invitation | None: ...
    def find(self, invitation_id: str) -> Invitation | None: ...
    def pending(self, org_id: str, now: datetime, *, limit: int = 50,
                cursor: str | None = None) -> tuple[list[Invitation], str | None]: ...
    def pending_for_email(self, org_id: str, email: str, now: datetime) -> Invitation | None: ...
    def mark_accepted(self, invitation_id: str, when: datetime, user_id: str) -> bool: ...
    def delete(self, org_id: str, invitation_id: str) -> bool: ...
