"""principal_for_user: the org a person acts in (X-Dagy-Org: id or name, else the oldest
membership) and the role read from the membership at that moment."""

from __future__ import annotations

import pytest

from dagy.application.use_cases.people import principal_for_user
from dagy.domain.errors import NotFoundError
from dagy.domain.permissions import Role
from dagy.domain.tenancy import Membership, Organization, User
from dagy.entrypoints.wiring import build_deps


@pytest.fixture
def deps():
    deps = build_deps()
    with deps.uow() as uow:
        for org_id, name in (("o1", "first"), ("o2", "second"), ("o3", "stranger")):
            uow.orgs.add(Organization(org_id, name))
        uow.users.add(User("u1", "ann@example.com"))
        uow.memberships.add(Membership("o1", "u1", Role.DEVELOPER))
        uow.memberships.add(Membership("o2", "u1", Role.ADMIN))
        uow.commit()
    return deps


def test_without_a_selector_the_oldest_membership_is_used(deps):
    principal = principal_for_user(deps, None, "u1", None, credential_id="t1")
    assert (principal.org_id, principal.role, principal.user_id) == ("o1", Role.DEVELOPER, "u1")
    assert (principal.credential_id, principal.credential_kind) == ("t1", "access_token")
    assert principal.key_id is None and principal.actor == "user:u1"


@pytest.mark.parametrize("selector", ["o2", "second", " second "])
def test_the_selector_names_an_org_by_id_or_name(deps, selector):
    principal = principal_for_user(deps, None, "u1", selector, credential_id=None)
    assert (principal.org_id, principal.role) == ("o2", Role.ADMIN)


@pytest.mark.parametrize("selector", ["o3", "stranger", "nope", "x" * 500])
def test_an_org_the_person_is_not_in_reads_as_not_found(deps, selector):
    with pytest.raises(NotFoundError, match="organization .*not found"):
        principal_for_user(deps, None, "u1", selector, credential_id=None)


def test_the_role_is_read_at_the_time_of_the_call(deps):
    assert principal_for_user(deps, None, "u1", "o2", credential_id=None).role is Role.ADMIN
    with deps.uow() as uow:
        uow.memberships.set_role("o2", "u1", Role.VIEWER)
        uow.commit()
    with deps.uow() as uow:  # an open unit of work is used as given
        assert principal_for_user(deps, uow, "u1", "o2", credential_id=None).role is Role.VIEWER
        uow.memberships.delete("o2", "u1")
        uow.commit()
    with pytest.raises(NotFoundError):
        principal_for_user(deps, None, "u1", "o2", credential_id=None)


def test_a_person_of_no_org_is_refused(deps):
    with deps.uow() as uow:
        uow.users.add(User("u2", "bob@example.com"))
        uow.commit()
    with pytest.raises(NotFoundError):
        principal_for_user(deps, None, "u2", None, credential_id=None)


def test_the_wired_password_hasher_round_trips(deps):
    stored = deps.password_hasher.hash("correct horse battery")
    assert deps.password_hasher.verify("correct horse battery", stored)
    assert not deps.password_hasher.verify("wrong", stored)
