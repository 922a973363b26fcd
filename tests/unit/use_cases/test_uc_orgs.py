"""Organizations and members as use cases: creating an org (the caller owns it, the
seeded environments, API keys refused), role changes and removals under may_grant and
the last-owner rule, the member's keys following the change, one audit entry each."""

from __future__ import annotations

import pytest

from dagy.application.principal import Principal
from dagy.application.use_cases import orgs
from dagy.application.use_cases.accounts import authenticate, bootstrap, create_api_key
from dagy.domain.errors import ConflictError, NotFoundError, ValidationError
from dagy.domain.organizations import LastOwnerError
from dagy.domain.permissions import ForbiddenError, Role
from dagy.domain.tenancy import AuthenticationError, Membership, User
from dagy.entrypoints.wiring import build_deps


@pytest.fixture
def deps():
    return build_deps()


@pytest.fixture
def acme(deps):
    """Org acme with its bootstrap owner (a person) and an admin and a viewer."""
    org, _ = bootstrap(deps, "acme")
    with deps.uow() as uow:
        owner = uow.users.get_by_email("admin@localhost")
        for name, role in (("ada", Role.ADMIN), ("vic", Role.VIEWER)):
            uow.users.add(User(name, f"{name}@example.com"))
            uow.memberships.add(Membership(org.org_id, name, role))
        uow.commit()
    people = {"owner": Principal(org.org_id, owner.user_id, Role.OWNER),
              "admin": Principal(org.org_id, "ada", Role.ADMIN),
              "viewer": Principal(org.org_id, "vic", Role.VIEWER)}
    return org, people


def audit(deps, org_id, action):
    with deps.uow() as uow:
        entries, _ = uow.audit_logs.list(org_id, limit=100)
    return [e for e in entries if e.action == action]


def role_of(deps, org_id, user_id):
    with deps.uow() as uow:
        membership = uow.memberships.get(org_id, user_id)
    return membership.role if membership else None


def test_a_person_creates_an_org_they_own_with_the_seeded_environments(deps, acme):
    _, people = acme
    org = orgs.create_org(deps, people["viewer"], "data-team")
    with deps.uow() as uow:
        assert uow.memberships.get(org.org_id, "vic").role == Role.OWNER
        assert [e.env_name for e in uow.environments.list(org.org_id)] == [
            "development", "staging", "production"]
    [entry] = audit(deps, org.org_id, "org.create")
    assert entry.actor == "user:vic" and entry.after["name"] == "data-team"
    assert [(v.org.name, v.role) for v in orgs.list_orgs(deps, people["viewer"])] == [
        ("acme", Role.VIEWER), ("data-team", Role.OWNER)]


def test_a_taken_or_bad_name_and_an_api_key_are_refused_with_nothing_written(deps, acme):
    org, people = acme
    entries = len(audit(deps, org.org_id, "org.create"))  # the bootstrap's, if any
    with pytest.raises(ConflictError, match="already exists"):
        orgs.create_org(deps, people["owner"], "acme")
    with pytest.raises(ValidationError, match="slug"):
        orgs.create_org(deps, people["owner"], "Not A Slug")
    key = authenticate(deps, create_api_key(deps, people["owner"], "ci")[1])
    with pytest.raises(ForbiddenError, match="API key"):
        orgs.create_org(deps, key, "by-key")
    with deps.uow() as uow:
        assert uow.orgs.get_by_name("by-key") is None
    assert len(audit(deps, org.org_id, "org.create")) == entries
    assert [v.org.name for v in orgs.list_orgs(deps, key)] == ["acme"]


def test_another_orgs_id_is_not_found_everywhere(deps, acme):
    _, people = acme
    other = orgs.create_org(deps, people["viewer"], "elsewhere")
    owner = people["owner"]
    for call in (lambda: orgs.get_org(deps, owner, other.org_id),
                 lambda: orgs.list_members(deps, owner, other.org_id),
                 lambda: orgs.change_role(deps, owner, other.org_id, "vic", "viewer"),
                 lambda: orgs.remove_member(deps, owner, other.org_id, "vic")):
        with pytest.raises(NotFoundError, match="organization"):
            call()
    assert role_of(deps, other.org_id, "vic") == Role.OWNER


def test_role_changes_follow_may_grant(deps, acme):
    org, people = acme
    owner_id = people["owner"].user_id
    with pytest.raises(ForbiddenError, match="cannot grant role owner"):
        orgs.change_role(deps, people["admin"], org.org_id, "vic", "owner")
    with pytest.raises(ForbiddenError, match="who is owner"):
        orgs.change_role(deps, people["admin"], org.org_id, owner_id, "viewer")
    with pytest.raises(NotFoundError, match="member"):
        orgs.change_role(deps, people["admin"], org.org_id, "nobody", "viewer")
    with pytest.raises(ValidationError, match="unknown role"):
        orgs.change_role(deps, people["admin"], org.org_id, "vic", "king")
    changed = orgs.change_role(deps, people["admin"], org.org_id, "vic", "developer")
    assert changed.membership.role == Role.DEVELOPER and changed.email == "vic@example.com"
    assert role_of(deps, org.org_id, "vic") == Role.DEVELOPER
    [entry] = audit(deps, org.org_id, "member.role")
    assert (entry.before, entry.after["role"]) == ({"role": "viewer"}, "developer")


def test_the_last_owner_can_be_neither_demoted_nor_removed_nor_leave(deps, acme):
    org, people = acme
    owner = people["owner"]
    with pytest.raises(LastOwnerError, match="last owner"):
        orgs.change_role(deps, owner, org.org_id, owner.user_id, "admin")
    with pytest.raises(LastOwnerError, match="you are the organization's last owner"):
        orgs.remove_member(deps, owner, org.org_id, owner.user_id)
    assert role_of(deps, org.org_id, owner.user_id) == Role.OWNER
    orgs.change_role(deps, owner, org.org_id, "ada", "owner")
    orgs.change_role(deps, owner, org.org_id, owner.user_id, "admin")  # now there is another
    assert role_of(deps, org.org_id, owner.user_id) == Role.ADMIN
    with pytest.raises(LastOwnerError):
        orgs.remove_member(deps, Principal(org.org_id, "ada", Role.OWNER), org.org_id, "ada")


def test_anyone_may_leave_but_removing_others_needs_members_manage(deps, acme):
    org, people = acme
    with pytest.raises(ForbiddenError, match="members:manage"):
        orgs.remove_member(deps, people["viewer"], org.org_id, "ada")
    with pytest.raises(ForbiddenError, match="cannot remove a member who is owner"):
        orgs.remove_member(deps, people["admin"], org.org_id, people["owner"].user_id)
    orgs.remove_member(deps, people["viewer"], org.org_id, "vic")
    assert role_of(deps, org.org_id, "vic") is None
    [entry] = audit(deps, org.org_id, "member.remove")
    assert entry.actor == "user:vic" and entry.after["left"] is True
    with pytest.raises(NotFoundError, match="member"):
        orgs.remove_member(deps, people["admin"], org.org_id, "vic")


def test_a_removed_members_keys_are_revoked_and_a_demoted_ones_lowered(deps, acme):
    org, people = acme
    admin_keys = [create_api_key(deps, people["admin"], f"k{n}")[1] for n in range(2)]
    viewer_key = create_api_key(deps, people["viewer"], "v")[1]
    orgs.change_role(deps, people["owner"], org.org_id, "ada", "developer")
    assert {authenticate(deps, k).role for k in admin_keys} == {Role.DEVELOPER}
    orgs.remove_member(deps, people["owner"], org.org_id, "vic")
    with pytest.raises(AuthenticationError, match="revoked"):
        authenticate(deps, viewer_key)
    assert authenticate(deps, admin_keys[0]).role == Role.DEVELOPER  # others' keys stay


def test_a_change_clears_the_cached_principals(deps, acme):
    org, people = acme
    cleared = []
    deps.caches.credentials_changed = lambda: cleared.append(True)
    orgs.change_role(deps, people["owner"], org.org_id, "vic", "operator")
    orgs.remove_member(deps, people["owner"], org.org_id, "vic")
    assert cleared == [True, True]


def test_members_are_listed_oldest_first_in_pages(deps, acme):
    org, people = acme
    first, cursor = orgs.list_members(deps, people["viewer"], org.org_id, limit=2)
    rest, end = orgs.list_members(deps, people["viewer"], org.org_id, limit=2, cursor=cursor)
    assert [m.email for m in first + rest] == ["admin@localhost", "ada@example.com",
                                               "vic@example.com"] and end is None
