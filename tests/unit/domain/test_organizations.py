"""The organization rules: slug names, may_grant for role changes and removals, the last
owner stays; and invitation tokens (shape, keyed hash, expiry)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dagy.domain.errors import ConflictError, ValidationError
from dagy.domain.invitations import (INVITATION_TTL, new_invitation, split_invitation_token,
                                     token_matches)
from dagy.domain.organizations import (LastOwnerError, check_org_name, check_removal,
                                       check_role_change)
from dagy.domain.permissions import ForbiddenError, Role

NOW = datetime(2026, 12, 4, tzinfo=timezone.utc)
PEPPER = b"p" * 32


@pytest.mark.parametrize("name", ["acme", "a", "data-team-2", "x" * 64])
def test_slug_names_are_accepted(name):
    assert check_org_name(name) == name


@pytest.mark.parametrize("name", ["", "Acme", "-acme", "acme-", "ac me", "acme_1", "x" * 65,
                                  "é", None, 3, "acme\n"])
def test_other_names_are_refused(name):
    with pytest.raises(ValidationError, match="slug"):
        check_org_name(name)


def test_an_owner_may_make_and_change_owners_while_another_owner_remains():
    check_role_change(Role.OWNER, Role.ADMIN, Role.OWNER, owners=1)
    check_role_change(Role.OWNER, Role.OWNER, Role.VIEWER, owners=2)


def test_an_admin_neither_makes_nor_changes_owners():
    with pytest.raises(ForbiddenError, match="cannot grant role owner"):
        check_role_change(Role.ADMIN, Role.VIEWER, Role.OWNER, owners=2)
    with pytest.raises(ForbiddenError, match="who is owner"):
        check_role_change(Role.ADMIN, Role.OWNER, Role.VIEWER, owners=2)
    check_role_change(Role.ADMIN, Role.DEVELOPER, Role.ADMIN, owners=1)


def test_the_last_owner_cannot_be_demoted():
    with pytest.raises(LastOwnerError, match="last owner") as raised:
        check_role_change(Role.OWNER, Role.OWNER, Role.ADMIN, owners=1)
    assert isinstance(raised.value, ConflictError)  # answered 409
    check_role_change(Role.OWNER, Role.OWNER, Role.OWNER, owners=1)  # no change


def test_removal_follows_may_grant_but_anyone_may_leave():
    check_removal(Role.ADMIN, Role.DEVELOPER, owners=1, leaving=False)
    with pytest.raises(ForbiddenError, match="cannot remove a member who is owner"):
        check_removal(Role.ADMIN, Role.OWNER, owners=2, leaving=False)
    check_removal(Role.VIEWER, Role.VIEWER, owners=1, leaving=True)


def test_the_last_owner_can_neither_leave_nor_be_removed():
    with pytest.raises(LastOwnerError, match="you are the organization's last owner"):
        check_removal(Role.OWNER, Role.OWNER, owners=1, leaving=True)
    with pytest.raises(LastOwnerError, match="this member is"):
        check_removal(Role.OWNER, Role.OWNER, owners=1, leaving=False)
    check_removal(Role.OWNER, Role.OWNER, owners=2, leaving=True)


def test_an_invitation_token_is_prefixed_keyed_and_expires_in_seven_days():
    invitation, token = new_invitation("abc123", "o1", "ann@example.com", Role.ADMIN,
                                       "user:u1", NOW, pepper=PEPPER)
    assert token.startswith("dagyinv_abc123_") and invitation.expires_at == NOW + INVITATION_TTL
    invitation_id, secret = split_invitation_token(token)
    assert invitation_id == "abc123" and secret not in repr(invitation)
    assert token_matches(invitation, secret, PEPPER)
    assert not token_matches(invitation, secret, b"q" * 32)
    assert not token_matches(invitation, secret + "x", PEPPER)
    assert invitation.pending_at(NOW + timedelta(days=6, hours=23))
    assert not invitation.pending_at(NOW + INVITATION_TTL)


@pytest.mark.parametrize("token", ["", "dagyinv_", "dagyinv_abc", "dagy_abc_def",
                                   "dagyinv_a-b_c", "dagyinv__secret", "x" * 400, None, 5])
def test_malformed_tokens_split_to_none(token):
    assert split_invitation_token(token) is None


def test_a_secret_may_hold_underscores():
    assert split_invitation_token("dagyinv_abc_de_f") == ("abc", "de_f")
