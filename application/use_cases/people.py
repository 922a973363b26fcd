"""Who a person acts as on one request: the org they picked and their role there.

A person's credential (an access token from `POST /auth/login`, or an identity
provider's JWT) names the person, never an org or a role: both are read from the
person's memberships on every request, so a demotion or a removal from an org takes
effect on the person's very next request, whatever tokens they hold.
"""

from __future__ import annotations

from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.application.ports.repositories import UnitOfWork
from dagy.domain.errors import NotFoundError
from dagy.domain.tenancy import Membership

MAX_SELECTOR_CHARS = 200


def principal_for_user(deps: Deps, uow: UnitOfWork | None, user_id: str,
                       org_selector: str | None, *, credential_id: str | None,
                       kind: str = "access_token") -> Principal:
    """The Principal of person `user_id` in the org `org_selector` names.

    `org_selector` is the request's X-Dagy-Org header: an org id or an org name. Without
    one, the person's only org, or with several the one they joined first (their oldest
    membership: for the bootstrap owner, the default org), so adding someone to a second
    org never changes where their commands land. An org the person is not a member of
    (or that does not exist) raises NotFoundError("organization ... not found"), the same
    for both, so an org id cannot be confirmed by guessing.

    `uow`: an open unit of work to read in (e.g. the one that just checked the token), or
    None to open one. `credential_id` (the token's id) and `kind` travel on the Principal:
    logout revokes by the id, GET /me shows the kind.
    """
    if uow is None:
        with deps.uow() as own:
            return principal_for_user(deps, own, user_id, org_selector,
                                      credential_id=credential_id, kind=kind)
    membership = _membership(uow, user_id, org_selector)
    return Principal(membership.org_id, user_id, membership.role,
                     credential_kind=kind, credential_id=credential_id)


def _membership(uow: UnitOfWork, user_id: str, selector: str | None) -> Membership:
    if selector is None or not selector.strip():
        memberships = uow.memberships.for_user(user_id)  # oldest first
        if not memberships:
            raise NotFoundError("organization not found: this person belongs to no "
                                "organization")
        return memberships[0]
    selector = selector.strip()
    if len(selector) > MAX_SELECTOR_CHARS:
        raise NotFoundError("organization not found")
    membership = uow.memberships.get(selector, user_id)
    if membership is None:
        org = uow.orgs.get_by_name(selector)
        membership = uow.memberships.get(org.org_id, user_id) if org is not None else None
    if membership is None:
        raise NotFoundError(f"organization {selector!r} not found")
    return membership


def check_key_org(deps: Deps, principal: Principal, org_selector: str) -> None:
    """An API key acts in its own org only: NotFoundError unless `org_selector` (an
    X-Dagy-Org header sent with the key) names that org by id or name."""
    selector = org_selector.strip()
    if selector == principal.org_id:
        return
    with deps.uow() as uow:
        org = uow.orgs.get(principal.org_id)
    if org is None or selector != org.name:
        raise NotFoundError(f"organization {selector[:MAX_SELECTOR_CHARS]!r} not found for "
                            "this API key: a key acts only in the org it was made in (send "
                            "no X-Dagy-Org with it; the CLI sends the profile's org, which "
                            "`dagy orgs switch` set)")
