"""Invitations to join an organization: an email, the role it grants, a one-time token.

The token is `dagyinv_<invitation id>_<secret>`: the prefix tells it apart from API keys
and people's tokens at a glance (secret scanners, logs), the id finds the row with one
indexed read, and only the keyed hash of the secret is stored (HMAC-SHA256 with the
server's pepper, as API keys are), compared in constant time. Whoever holds the token
may accept it once, before it expires; the person it makes (or the existing person with
that email, who must prove it with their password) joins with the invited role.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from dagy.domain.permissions import Role
from dagy.domain.tenancy import keyed_hash

INVITATION_PREFIX = "dagyinv"
INVITATION_TTL = timedelta(days=7)
MAX_TOKEN_CHARS = 300


@dataclass
class Invitation:
    """The stored form of an invitation (never its token's secret).

    `inviter_id` is the audit name of whoever invited ("user:<id>" or "key:<id>");
    `accepted_by` the person who accepted."""

    invitation_id: str
    org_id: str
    email: str
    role: Role
    inviter_id: str
    secret_hash: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None = None
    accepted_by: str | None = None

    def pending_at(self, now: datetime) -> bool:
        return self.accepted_at is None and now < self.expires_at


def new_invitation(invitation_id: str, org_id: str, email: str, role: Role, inviter_id: str,
                   now: datetime, *, pepper: bytes,
                   ttl: timedelta = INVITATION_TTL) -> tuple[Invitation, str]:
    """(stored invitation, plaintext token): the token is answered once, never stored."""
    secret = secrets.token_urlsafe(32)
    invitation = Invitation(invitation_id, org_id, email, Role(role), inviter_id,
                            keyed_hash(secret, pepper), now, now + ttl)
    return invitation, f"{INVITATION_PREFIX}_{invitation_id}_{secret}"


def split_invitation_token(presented: object) -> tuple[str, str] | None:
    """(invitation id, secret) of a presented token, or None if it is not one."""
    if not isinstance(presented, str) or len(presented) > MAX_TOKEN_CHARS:
        return None
    parts = presented.split("_", 2)  # the secret itself may hold "_"
    if (len(parts) != 3 or parts[0] != INVITATION_PREFIX or not parts[1].isalnum()
            or not parts[2]):
        return None
    return parts[1], parts[2]


def token_matches(invitation: Invitation, secret: str, pepper: bytes) -> bool:
    """Constant-time comparison of the presented secret with the stored hash."""
    return hmac.compare_digest(invitation.secret_hash, keyed_hash(secret, pepper))
