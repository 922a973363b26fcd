"""Organizations and their members: creating an org, listing a person's orgs, and the
members' roles and removal.

Every operation on `/orgs/{org_id}/...` acts in the caller's org only (the one its
credential, or a person's X-Dagy-Org, selected): another org's id is answered as not
found, the same as an org that does not exist, so an id cannot be confirmed by guessing.
The rules themselves (may_grant, the last owner) are domain/organizations.py; a change
takes effect on the member's next request, because a person's role is read from the
membership on every request and `credentials_changed` forgets cached principals. The
member's own API keys follow: removal revokes them, a demotion lowers those above the
new role to it (a key's role is never above its creator's).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from dagy.application.audit_trail import record
from dagy.application.deps import Deps
from dagy.application.environments import seed_environments
from dagy.application.ports.repositories import UnitOfWork
from dagy.application.principal import Principal
from dagy.domain.errors import ConflictError, NotFoundError
from dagy.domain.organizations import check_org_name, check_removal, check_role_change
from dagy.domain.permissions import ForbiddenError, Role, parse_role, require
from dagy.domain.tenancy import ApiKey, Membership, Organization

MAX_KEY_PAGES = 1000  # bounds the walk over a removed member's API keys (200 a page)


@dataclass(frozen=True)
class OrgView:
    """An org as its member sees it: with the member's role there."""

    org: Organization
    role: Role


@dataclass(frozen=True)
class Member:
    membership: Membership
    email: str | None


def own_org(principal: Principal, org_id: str) -> None:
    """NotFoundError unless `org_id` is the org the caller acts in."""
    if org_id != principal.org_id:
        raise NotFoundError(f"organization {str(org_id)[:200]!r} not found")


def create_org(deps: Deps, principal: Principal, name: str) -> Organization:
    """A new org whose owner is the calling person, with the seeded environments.

    ForbiddenError for an API key (it acts in its own org only); ConflictError when the
    name is taken."""
    if principal.key_id is not None or principal.user_id is None:
        raise ForbiddenError("an API key acts only in its own organization: sign in as a "
                             "person (dagy login) to create one")
    name = check_org_name(name)
    now = deps.clock.now()
    with deps.uow() as uow:
        if uow.orgs.get_by_name(name) is not None:
            raise ConflictError(f"an organization named {name!r} already exists")
        org = Organization(deps.ids.new_id(), name, now)
        uow.orgs.add(org)
        seed_environments(uow, org.org_id, now)
        uow.memberships.add(Membership(org.org_id, principal.user_id, Role.OWNER, now))
        in_new = dataclasses.replace(principal, org_id=org.org_id, role=Role.OWNER)
        record(uow, deps, in_new, "org.create", "org", org.org_id,
               after={"name": name, "owner": principal.user_id})
        uow.commit()
    return org


def list_orgs(deps: Deps, principal: Principal) -> list[OrgView]:
    """The orgs the caller belongs to, oldest membership first; an API key's own org."""
    with deps.uow() as uow:
        if principal.key_id is not None or principal.user_id is None:
            org = uow.orgs.get(principal.org_id)
            return [OrgView(org, principal.role)] if org is not None else []
        views = []
        for membership in uow.memberships.for_user(principal.user_id):
            org = uow.orgs.get(membership.org_id)
            if org is not None:
                views.append(OrgView(org, membership.role))
        return views


def get_org(deps: Deps, principal: Principal, org_id: str) -> OrgView:
    own_org(principal, org_id)
    with deps.uow() as uow:
        org = uow.orgs.get(org_id)
    if org is None:
        raise NotFoundError(f"organization {org_id!r} not found")
    return OrgView(org, principal.role)


def list_members(deps: Deps, principal: Principal, org_id: str, *, limit: int = 50,
                 cursor: str | None = None) -> tuple[list[Member], str | None]:
    """The org's members with their emails, oldest first."""
    own_org(principal, org_id)
    with deps.uow() as uow:
        memberships, next_cursor = uow.memberships.list(org_id, limit=limit, cursor=cursor)
        members = []
        for membership in memberships:
            user = uow.users.get(membership.user_id)
            members.append(Member(membership, user.email if user else None))
    return members, next_cursor


def change_role(deps: Deps, principal: Principal, org_id: str, user_id: str,
                role: str | Role) -> Member:
    """Give member `user_id` `role`. ForbiddenError beyond the caller's own role (an
    admin neither makes nor changes owners); LastOwnerError (409) for the only owner."""
    own_org(principal, org_id)
    new = parse_role(str(getattr(role, "value", role)))
    with deps.uow() as uow:
        membership, email = _member(uow, org_id, user_id)
        owners = len(uow.memberships.lock_owners(org_id)) if membership.role == Role.OWNER else 0
        check_role_change(principal.role, membership.role, new, owners)
        if membership.role == new:
            return Member(membership, email)
        old = membership.role
        uow.memberships.set_role(org_id, user_id, new)
        lowered = _lower_keys(uow, org_id, user_id, new)
        record(uow, deps, principal, "member.role", "member", user_id,
               before={"role": old}, after={"role": new, "keys_lowered": lowered})
        uow.commit()
    deps.caches.credentials_changed()
    return Member(dataclasses.replace(membership, role=new), email)


def remove_member(deps: Deps, principal: Principal, org_id: str, user_id: str) -> None:
    """Remove member `user_id` (the caller themself: leaving, which anyone may), and
    revoke the API keys they made in this org. ForbiddenError without members:manage or
    beyond the caller's role; LastOwnerError (409) for the only owner."""
    own_org(principal, org_id)
    leaving = principal.key_id is None and principal.user_id == user_id
    if not leaving:
        require(principal.role, "members:manage")
    with deps.uow() as uow:
        membership, email = _member(uow, org_id, user_id)
        owners = len(uow.memberships.lock_owners(org_id)) if membership.role == Role.OWNER else 0
        check_removal(principal.role, membership.role, owners, leaving=leaving)
        uow.memberships.delete(org_id, user_id)
        revoked = _revoke_keys(uow, org_id, user_id)
        record(uow, deps, principal, "member.remove", "member", user_id,
               before={"role": membership.role, "email": email},
               after={"left": leaving, "keys_revoked": revoked})
        uow.commit()
    deps.caches.credentials_changed()


def _member(uow: UnitOfWork, org_id: str, user_id: str) -> tuple[Membership, str | None]:
    membership = uow.memberships.get(org_id, user_id) if isinstance(user_id, str) else None
    if membership is None:
        raise NotFoundError(f"member {str(user_id)[:200]!r} not found")
    user = uow.users.get(user_id)
    return membership, user.email if user else None


def _lower_keys(uow: UnitOfWork, org_id: str, user_id: str, role: Role) -> list[str]:
    """Lower the member's live keys above `role` to it; their ids."""
    lowered = []
    for key in _keys_of(uow, org_id, user_id):
        if key.role.rank > role.rank:
            key.role = role
            uow.api_keys.update(key)
            lowered.append(key.key_id)
    return lowered


def _revoke_keys(uow: UnitOfWork, org_id: str, user_id: str) -> list[str]:
    revoked = []
    for key in _keys_of(uow, org_id, user_id):
        key.revoked = True
        uow.api_keys.update(key)
        revoked.append(key.key_id)
    return revoked


def _keys_of(uow: UnitOfWork, org_id: str, user_id: str) -> list[ApiKey]:
    """The member's unrevoked API keys in the org (read in full before any is changed)."""
    found: list[ApiKey] = []
    cursor = None
    for _ in range(MAX_KEY_PAGES):
        page, cursor = uow.api_keys.list(org_id, limit=200, cursor=cursor)
        found += [k for k in page if k.user_id == user_id and not k.revoked]
        if cursor is None:
            break
    return found

