"""Invitations as use cases: a role no higher than the inviter's, the token answered once
and stored as a keyed hash, acceptance creating the person (or proving an existing one's
password), once, before expiry; everything else answered alike with nothing written."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dagy.application.principal import Principal
from dagy.application.use_cases import invitations, orgs
from dagy.application.use_cases.accounts import bootstrap
from dagy.domain.errors import ConflictError, NotFoundError, ValidationError
from dagy.domain.invitations import split_invitation_token
from dagy.domain.permissions import ForbiddenError, Role
from dagy.domain.tenancy import AuthenticationError
from dagy.entrypoints.wiring import build_deps

PASSWORD = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 12, 4, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def deps(clock):
    return build_deps(clock=clock)


@pytest.fixture
def owner(deps):
    org, _ = bootstrap(deps, "acme")
    with deps.uow() as uow:
        user = uow.users.get_by_email("admin@localhost")
    return Principal(org.org_id, user.user_id, Role.OWNER)


def members(deps, org_id):
    return {m.email: m.membership.role for m in orgs.list_members(
        deps, Principal(org_id, None, Role.VIEWER), org_id, limit=100)[0]}


def test_an_invitation_creates_the_person_with_the_role_once(deps, owner):
    invitation, token = invitations.invite(deps, owner, owner.org_id, "Ann@Example.com",
                                           "developer")
    assert invitation.email == "ann@example.com" and token.startswith("dagyinv_")
    with deps.uow() as uow:
        stored = uow.invitations.find(invitation.invitation_id)
    assert split_invitation_token(token)[1] not in repr(stored)
    assert [i.invitation_id for i in invitations.list_invitations(
        deps, owner, owner.org_id)[0]] == [invitation.invitation_id]
    accepted = invitations.accept(deps, token, PASSWORD)
    assert accepted.created_user and accepted.org_name == "acme"
    assert members(deps, owner.org_id)["ann@example.com"] == Role.DEVELOPER
    assert deps.password_hasher.verify(PASSWORD, accepted.user.password_hash)
    with pytest.raises(NotFoundError, match="already accepted"):
        invitations.accept(deps, token, PASSWORD)
    assert invitations.list_invitations(deps, owner, owner.org_id)[0] == []
    with deps.uow() as uow:
        actions = [e.action for e in uow.audit_logs.list(owner.org_id, limit=50)[0]]
    assert actions.count("invitation.create") == 1 and actions.count("invitation.accept") == 1


def test_an_existing_person_must_prove_their_password(deps, owner):
    other = orgs.create_org(deps, owner, "second")
    second = Principal(other.org_id, owner.user_id, Role.OWNER)
    invitation, token = invitations.invite(deps, owner, owner.org_id, "bob@example.com",
                                           "viewer")
    invitations.accept(deps, token, PASSWORD)
    _, again = invitations.invite(deps, second, other.org_id, "bob@example.com", "admin")
    with pytest.raises(AuthenticationError, match="wrong password"):
        invitations.accept(deps, again, "not the password at all")
    assert "bob@example.com" not in members(deps, other.org_id)
    accepted = invitations.accept(deps, again, PASSWORD)
    assert not accepted.created_user and members(deps, other.org_id)["bob@example.com"] == \
        Role.ADMIN


def test_no_role_above_the_inviters_and_no_duplicates(deps, owner):
    admin = Principal(owner.org_id, owner.user_id, Role.ADMIN)
    with pytest.raises(ForbiddenError, match="cannot invite with role owner"):
        invitations.invite(deps, admin, owner.org_id, "c@example.com", "owner")
    with pytest.raises(ValidationError, match="email"):
        invitations.invite(deps, owner, owner.org_id, "not-an-email", "viewer")
    with pytest.raises(ConflictError, match="already a member"):
        invitations.invite(deps, owner, owner.org_id, "admin@localhost", "viewer")
    invitations.invite(deps, admin, owner.org_id, "c@example.com", "admin")
    with pytest.raises(ConflictError, match="pending invitation"):
        invitations.invite(deps, owner, owner.org_id, "c@example.com", "viewer")
    with pytest.raises(NotFoundError, match="organization"):
        invitations.invite(deps, owner, "another-org", "d@example.com", "viewer")
    assert len(invitations.list_invitations(deps, owner, owner.org_id)[0]) == 1


def test_expired_revoked_unknown_and_malformed_tokens_are_all_the_same_404(deps, owner,
                                                                           clock):
    _, expiring = invitations.invite(deps, owner, owner.org_id, "e@example.com", "viewer")
    revoked, revoked_token = invitations.invite(deps, owner, owner.org_id, "r@example.com",
                                                "viewer")
    invitations.revoke_invitation(deps, owner, owner.org_id, revoked.invitation_id)
    with pytest.raises(NotFoundError):
        invitations.revoke_invitation(deps, owner, owner.org_id, revoked.invitation_id)
    clock.at += timedelta(days=7)
    wrong_secret = expiring.rsplit("_", 1)[0] + "_x"
    for token in (expiring, revoked_token, wrong_secret, "dagyinv_nope_x", "garbage", ""):
        with pytest.raises(NotFoundError) as raised:
            invitations.accept(deps, token, PASSWORD)
        assert str(raised.value) == invitations.GONE
    assert set(members(deps, owner.org_id)) == {"admin@localhost"}


def test_a_short_password_for_a_new_person_writes_nothing(deps, owner):
    invitation, token = invitations.invite(deps, owner, owner.org_id, "s@example.com", "viewer")
    with pytest.raises(ValidationError, match="password"):
        invitations.accept(deps, token, "short")
    with deps.uow() as uow:
        assert uow.users.get_by_email("s@example.com") is None
        assert uow.invitations.find(invitation.invitation_id).accepted_at is None
    invitations.accept(deps, token, PASSWORD)  # still usable
