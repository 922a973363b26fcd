"""Organizations and their members: `POST/GET /orgs`, `GET /orgs/{org_id}`, and
`/orgs/{org_id}/members`. A path's org must be the one the caller acts in (its API key's,
or the X-Dagy-Org a person sent): any other answers 404, as a missing one does.

`DELETE /orgs/{org_id}/members/{user_id}` needs only `org:read` in the permission table,
because anyone may leave (remove themself); removing someone else needs
`members:manage`, which the use case checks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from dagy.application.use_cases import orgs
from dagy.domain.permissions import Role
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep
from dagy.entrypoints.api.pagination import DEFAULT_LIMIT, Cursor, Limit, cursor_errors, paged
from dagy.entrypoints.api.schemas_common import errors, wire_time
from dagy.entrypoints.api.schemas_orgs import (MemberPage, MemberView, OrgBody, OrgList,
                                               OrgView, RoleBody)

router = APIRouter(tags=["organizations"])


def _org(view: orgs.OrgView) -> OrgView:
    return OrgView.from_entity(view.org, role=view.role)


def _member(member: orgs.Member) -> dict[str, Any]:
    m = member.membership
    return {"user_id": m.user_id, "email": member.email, "role": m.role,
            "joined_at": wire_time(m.created_at)}


@router.post("/orgs", status_code=201, response_model=OrgView, responses=errors(409))
def create_org(body: OrgBody, deps: DepsDep, principal: PrincipalDep) -> OrgView:
    """A new org owned by the calling person, with the environments development, staging
    and production (protected). An API key gets 403: it acts in its own org only. Select
    the new org with the X-Dagy-Org header (`dagy orgs switch NAME`)."""
    org = orgs.create_org(deps, principal, body.name)
    return _org(orgs.OrgView(org, Role.OWNER))


@router.get("/orgs", response_model=OrgList, responses=errors())
def list_orgs(deps: DepsDep, principal: PrincipalDep) -> dict[str, Any]:
    """The caller's orgs with its role in each."""
    return {"items": [_org(view) for view in orgs.list_orgs(deps, principal)]}


@router.get("/orgs/{org_id}", response_model=OrgView, responses=errors(404))
def get_org(org_id: str, deps: DepsDep, principal: PrincipalDep) -> OrgView:
    return _org(orgs.get_org(deps, principal, org_id))


@router.get("/orgs/{org_id}/members", response_model=MemberPage, responses=errors(404))
def list_members(org_id: str, deps: DepsDep, principal: PrincipalDep,
                 limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> dict[str, Any]:
    """The org's members, oldest first."""
    with cursor_errors(cursor):
        result = orgs.list_members(deps, principal, org_id, limit=limit, cursor=cursor)
    return paged(result, _member)


@router.patch("/orgs/{org_id}/members/{user_id}", response_model=MemberView,
              responses=errors(404, 409))
def change_role(org_id: str, user_id: str, body: RoleBody, deps: DepsDep,
                principal: PrincipalDep) -> dict[str, Any]:
    """Give a member another role: never above the caller's own (an admin neither makes
    nor changes owners); the last owner cannot be demoted (409). Takes effect on the
    member's next request; their API keys above the new role are lowered to it."""
    return _member(orgs.change_role(deps, principal, org_id, user_id, body.role))


@router.delete("/orgs/{org_id}/members/{user_id}", status_code=204,
               responses=errors(404, 409))
def remove_member(org_id: str, user_id: str, deps: DepsDep,
                  principal: PrincipalDep) -> Response:
    """Remove a member (`members:manage`, and never one above the caller's role), or
    leave: a person removing themself needs no more than membership. The last owner can
    neither leave nor be removed (409). The member's next request is refused, and the API
    keys they made in this org are revoked."""
    orgs.remove_member(deps, principal, org_id, user_id)
    return Response(status_code=204)
