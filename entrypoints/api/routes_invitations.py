"""Invitations: `/orgs/{org_id}/invitations` (members:manage) and the invitee's
`POST /invitations/{token}/accept`, which takes no Authorization header: the token in
the path is the credential (as for POST /hooks/{token}). An unknown, expired, revoked
or used token answers the same 404."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from dagy.application.use_cases import invitations
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep
from dagy.entrypoints.api.pagination import DEFAULT_LIMIT, Cursor, Limit, cursor_errors, paged
from dagy.entrypoints.api.request_origin import request_origin
from dagy.entrypoints.api.schemas_common import errors
from dagy.entrypoints.api.schemas_orgs import (AcceptBody, AcceptedView, InvitationBody,
                                               InvitationCreated, InvitationPage,
                                               InvitationView)

router = APIRouter(tags=["organizations"])


def _view(invitation: Any, model: type = InvitationView, **extra: Any) -> Any:
    return model.from_entity(invitation, invited_by=invitation.inviter_id, **extra)


@router.post("/orgs/{org_id}/invitations", status_code=201, response_model=InvitationCreated,
             responses=errors(404, 409))
def create_invitation(org_id: str, body: InvitationBody, deps: DepsDep,
                      principal: PrincipalDep) -> InvitationCreated:
    """Invite an email with a role no higher than the caller's; the answer's `token` is
    shown once (only its keyed hash is stored). It expires in 7 days. 409 when the email
    is a member already or has a pending invitation."""
    invitation, token = invitations.invite(deps, principal, org_id, body.email, body.role)
    return _view(invitation, InvitationCreated, token=token)


@router.get("/orgs/{org_id}/invitations", response_model=InvitationPage, responses=errors(404))
def list_invitations(org_id: str, deps: DepsDep, principal: PrincipalDep,
                     limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> dict[str, Any]:
    """The pending invitations (neither accepted nor expired), oldest first; no tokens."""
    with cursor_errors(cursor):
        result = invitations.list_invitations(deps, principal, org_id, limit=limit,
                                              cursor=cursor)
    return paged(result, _view)


@router.delete("/orgs/{org_id}/invitations/{invitation_id}", status_code=204,
               responses=errors(404))
def revoke_invitation(org_id: str, invitation_id: str, deps: DepsDep,
                      principal: PrincipalDep) -> Response:
    """Revoke a pending invitation: its token answers 404 from now on."""
    invitations.revoke_invitation(deps, principal, org_id, invitation_id)
    return Response(status_code=204)


@router.post("/invitations/{token}/accept", response_model=AcceptedView,
             responses=errors(401, 404, 409, authenticated=False))
def accept_invitation(token: str, body: AcceptBody, request: Request,
                      deps: DepsDep) -> dict[str, Any]:
    """Join the invitation's org. A new email becomes a person with `password` (12 to
    1024 characters); an email that already belongs to a person needs that person's
    password (401 otherwise). Then sign in with POST /auth/login. A token works once."""
    ip, request_id = request_origin(request)
    done = invitations.accept(deps, token, body.password, ip=ip, request_id=request_id)
    return {"org_id": done.invitation.org_id, "org_name": done.org_name,
            "user_id": done.user.user_id, "email": done.user.email,
            "role": done.invitation.role, "created_user": done.created_user}
