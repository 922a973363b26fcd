"""People's sessions over HTTP: `POST /auth/login`, `/auth/refresh`, `/auth/logout`, and
`PUT /me/password`.

Login and refresh take no credential in the Authorization header (their body is the
credential); logout takes the access token it ends and needs no org or role, so a
person removed from every org can still end their session. The password derivation and
the token writes run in the thread pool (plain `def` routes).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from dagy.application.use_cases import passwords, rate_limits, sessions
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep, bearer_token
from dagy.entrypoints.api.request_origin import request_origin
from dagy.entrypoints.api.schemas_auth import (LoginBody, LogoutView, PasswordChangeBody,
                                               RefreshBody, TokenPairView)
from dagy.entrypoints.api.schemas_common import errors

router = APIRouter(tags=["identity"])
_PUBLIC = errors(401, authenticated=False)
_SIGN_IN = errors(401, 403, authenticated=False)
_LOGIN = errors(401, 403, 429, authenticated=False)  # 429: DAGY_LOGIN_ATTEMPTS_PER_MINUTE  # 403: DAGY_JWT_REQUIRED, the provider signs in


def _pair(deps: Any, pair: Any) -> dict[str, Any]:
    now = deps.clock.now()
    return {"access_token": pair.access_token, "refresh_token": pair.refresh_token,
            "token_type": "bearer", "expires_in": pair.expires_in(now),
            "refresh_expires_in": pair.refresh_expires_in(now)}


@router.post("/auth/login", response_model=TokenPairView, responses=_LOGIN)
def login(body: LoginBody, request: Request, deps: DepsDep) -> dict[str, Any]:
    """A new session for a person with a password: an access token (DAGY_ACCESS_TOKEN_
    TTL_SECONDS, 15 minutes by default) and a refresh token (30 days). A wrong email or
    password answers the same 401. With DAGY_JWT_REQUIRED: 403, people sign in at the
    identity provider. Attempts per email and per client address are limited
    (DAGY_LOGIN_ATTEMPTS_PER_MINUTE): 429 with Retry-After past it."""
    rate_limits.admit_login(deps, body.email, request_origin(request)[0])
    return _pair(deps, sessions.login(deps, body.email, body.password))


@router.post("/auth/refresh", response_model=TokenPairView, responses=_SIGN_IN)
def refresh(body: RefreshBody, deps: DepsDep) -> dict[str, Any]:
    """A new pair for a refresh token, which is used up. Presenting a used refresh token
    again revokes every token of its session (401): someone else had a copy."""
    return _pair(deps, sessions.refresh(deps, body.refresh_token))


@router.post("/auth/logout", response_model=LogoutView, responses=_PUBLIC)
def logout(request: Request, deps: DepsDep) -> dict[str, Any]:
    """Revoke the access token sent as `Authorization: Bearer dagyat_...` and every token
    of its session (its refresh token included)."""
    return {"revoked": sessions.logout_token(deps, bearer_token(request))}


@router.put("/me/password", status_code=204, responses=errors())
def change_password(body: PasswordChangeBody, deps: DepsDep,
                    principal: PrincipalDep) -> Response:
    """Change the caller's own password (a person only: an API key gets 403); every other
    session of the person is revoked, the one making the change stays."""
    passwords.change_password(deps, principal, body.current_password, body.new_password)
    return Response(status_code=204)
