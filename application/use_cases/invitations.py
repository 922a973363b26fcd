"""Inviting people into an org, and accepting an invitation with its one-time token.

An invitation grants a role no higher than its inviter's (may_grant) and is answered
with its token once: only the keyed hash of the token's secret is stored. The token is
the credential for accepting: whoever presents it (before it expires, and only once)
joins with the invited role, as a new person with the invited email and the password
they choose, or, when that email already belongs to a person, by proving it is theirs
with that person's password. An unknown, expired, revoked or already used token is
answered alike (NotFoundError), so a token cannot be probed for what it was.

Accepting runs in two short transactions around the password work (scrypt is slow on
purpose, and no transaction is held open while it runs); the second re-checks the
invitation and marks it accepted with a compare-and-set, so of two acceptances of one
token exactly one joins.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from dagy.application.audit_trail import record
from dagy.application.deps import Deps
from dagy.application.ports.repositories import UnitOfWork
from dagy.application.principal import Principal
from dagy.application.use_cases.orgs import own_org
from dagy.application.use_cases.passwords import check_new_password
from dagy.domain.errors import ConfigurationError, ConflictError, NotFoundError
from dagy.domain.invitations import (Invitation, new_invitation, split_invitation_token,
                                     token_matches)
from dagy.domain.permissions import ForbiddenError, Role, a_role, may_grant, parse_role
from dagy.domain.tenancy import AuthenticationError, Membership, User, normalize_email

GONE = "invitation not found: it is unknown, expired, revoked or already accepted"


@dataclass(frozen=True)
class Accepted:
    invitation: Invitation
    org_name: str
    user: User
    created_user: bool


def invite(deps: Deps, principal: Principal, org_id: str, email: str,
           role: str | Role) -> tuple[Invitation, str]:
    """(invitation, plaintext token) for `email` to join the caller's org with `role`.

    ForbiddenError for a role above the caller's; ConflictError when the email already
    belongs to a member or has a pending invitation."""
    own_org(principal, org_id)
    granted = parse_role(str(getattr(role, "value", role)))
    if not may_grant(principal.role, granted):
        raise ForbiddenError(f"{a_role(principal.role)} cannot invite with role {granted}")
    email = normalize_email(email)
    now = deps.clock.now()
    with deps.uow() as uow:
        user = uow.users.get_by_email(email)
        if user is not None and uow.memberships.get(org_id, user.user_id) is not None:
            raise ConflictError(f"{email} is already a member of this organization")
        pending = uow.invitations.pending_for_email(org_id, email, now)
        if pending is not None:
            raise ConflictError(f"{email} already has a pending invitation "
                                f"({pending.invitation_id}): revoke it first")
        invitation, token = new_invitation(deps.ids.new_id(), org_id, email, granted,
                                           principal.actor, now, pepper=deps.api_key_pepper)
        uow.invitations.add(invitation)
        record(uow, deps, principal, "invitation.create", "invitation",
               invitation.invitation_id, after=_public(invitation))
        uow.commit()
    return invitation, token


def list_invitations(deps: Deps, principal: Principal, org_id: str, *, limit: int = 50,
                     cursor: str | None = None) -> tuple[list[Invitation], str | None]:
    """The org's pending invitations (neither accepted nor expired), oldest first."""
    own_org(principal, org_id)
    with deps.uow() as uow:
        return uow.invitations.pending(org_id, deps.clock.now(), limit=limit, cursor=cursor)


def revoke_invitation(deps: Deps, principal: Principal, org_id: str,
                      invitation_id: str) -> None:
    """Delete the invitation: its token is unknown from now on."""
    own_org(principal, org_id)
    with deps.uow() as uow:
        invitation = uow.invitations.get(org_id, invitation_id)
        if invitation is None or not uow.invitations.delete(org_id, invitation_id):
            raise NotFoundError(f"invitation {str(invitation_id)[:200]!r} not found")
        record(uow, deps, principal, "invitation.revoke", "invitation", invitation_id,
               before=_public(invitation))
        uow.commit()


def accept(deps: Deps, token: str, password: str, *, ip: str | None = None,
           request_id: str | None = None) -> Accepted:
    """Join the invitation's org as the person with its email (made now, with
    `password`, if there is none). NotFoundError for a token that is not a live one;
    AuthenticationError when that person exists and `password` is not theirs;
    ValidationError for a new person's password that is too short or long."""
    hasher = deps.password_hasher
    if hasher is None:
        raise ConfigurationError("this control plane has no password hasher configured")
    with deps.uow() as uow:
        invitation = _live(deps, uow, token)
        existing = uow.users.get_by_email(invitation.email)
    password_hash = None
    if existing is None:
        password_hash = hasher.hash(check_new_password(password))
    elif (not isinstance(password, str) or existing.password_hash is None
          or not hasher.verify(password, existing.password_hash)):
        raise AuthenticationError(f"wrong password for {invitation.email}")
    now = deps.clock.now()
    with deps.uow() as uow:
        invitation = _live(deps, uow, token)
        user = uow.users.get_by_email(invitation.email)
        if (user is None) != (existing is None) or (
                user is not None and user.user_id != existing.user_id):
            raise ConflictError(f"the person {invitation.email} changed meanwhile: accept again")
        created = user is None
        if user is None:
            user = User(deps.ids.new_id(), invitation.email, now, password_hash=password_hash)
            uow.users.add(user)
        if not uow.invitations.mark_accepted(invitation.invitation_id, now, user.user_id):
            raise NotFoundError(GONE)
        if uow.memberships.get(invitation.org_id, user.user_id) is None:
            uow.memberships.add(Membership(invitation.org_id, user.user_id, invitation.role,
                                           now))
        joined = Principal(invitation.org_id, user.user_id, invitation.role, ip=ip,
                           request_id=request_id)
        record(uow, deps, joined, "invitation.accept", "invitation", invitation.invitation_id,
               after={**_public(invitation), "user_id": user.user_id,
                      "new_person": created})
        org = uow.orgs.get(invitation.org_id)
        uow.commit()
    accepted = dataclasses.replace(invitation, accepted_at=now, accepted_by=user.user_id)
    return Accepted(accepted, org.name if org else invitation.org_id, user, created)


def _live(deps: Deps, uow: UnitOfWork, token: str) -> Invitation:
    parts = split_invitation_token(token)
    invitation = uow.invitations.find(parts[0]) if parts else None
    if (invitation is None or not token_matches(invitation, parts[1], deps.api_key_pepper)
            or not invitation.pending_at(deps.clock.now())):
        raise NotFoundError(GONE)
    return invitation


def _public(invitation: Invitation) -> dict:
    return {"email": invitation.email, "role": invitation.role,
            "expires_at": invitation.expires_at, "invited_by": invitation.inviter_id}
