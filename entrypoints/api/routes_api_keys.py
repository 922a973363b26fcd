"""API keys (service accounts of the caller's org) and `GET /me`, who the caller is."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from dagy.application.use_cases import accounts
from dagy.domain.permissions import PERMISSIONS_BY_ROLE
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep
from dagy.entrypoints.api.pagination import DEFAULT_LIMIT, Cursor, Limit, cursor_errors, paged
from dagy.entrypoints.api.schemas_api_keys import (ApiKeyBody, ApiKeyCreated, ApiKeyPage,
                                                   ApiKeyView, MeView)
from dagy.entrypoints.api.schemas_common import errors

router = APIRouter(tags=["identity"])


def _view(key: Any, model: type = ApiKeyView, **extra: Any) -> Any:
    return model.from_entity(key, created_by=key.user_id or None, **extra)


@router.post("/api-keys", status_code=201, response_model=ApiKeyCreated, responses=errors())
def create_api_key(body: ApiKeyBody, deps: DepsDep, principal: PrincipalDep) -> ApiKeyCreated:
    """201 with the new key; `api_key` (the key itself) is in this answer only."""
    key, plaintext = accounts.create_api_key(deps, principal, body.name, role=body.role,
                                             environments=body.environments,
                                             expires_at=body.expires_at)
    return _view(key, ApiKeyCreated, api_key=plaintext)


@router.get("/api-keys", response_model=ApiKeyPage, responses=errors())
def list_api_keys(deps: DepsDep, principal: PrincipalDep, limit: Limit = DEFAULT_LIMIT,
                  cursor: Cursor = None) -> dict[str, Any]:
    """The org's keys, newest first, revoked ones included (never their secrets)."""
    with cursor_errors(cursor):
        result = accounts.list_api_keys(deps, principal, limit=limit, cursor=cursor)
    return paged(result, _view)


@router.delete("/api-keys/{key_id}", status_code=204, responses=errors(404))
def revoke_api_key(key_id: str, deps: DepsDep, principal: PrincipalDep) -> Response:
    """Revoked at once: the next request with the key gets 401. Revoking twice is 204."""
    accounts.revoke_api_key(deps, principal, key_id)
    return Response(status_code=204)


@router.get("/me", response_model=MeView, responses=errors())
def me(deps: DepsDep, principal: PrincipalDep) -> dict[str, Any]:
    """The caller: its org and role there, its permissions, and (for a person) every org
    it belongs to."""
    found = accounts.describe_caller(deps, principal)
    return {"org_id": principal.org_id, "org_name": found.org_name, "role": principal.role,
            "permissions": sorted(PERMISSIONS_BY_ROLE[principal.role]),
            "key_id": principal.key_id, "user_id": principal.user_id, "email": found.email,
            "credential": "api_key" if principal.key_id else principal.credential_kind,
            "orgs": [{"org_id": o, "org_name": n, "role": r} for o, n, r in found.orgs]}
