"""Bearer credentials -> Principal: API keys (`dagy_<prefix>_<secret>`, service accounts
of one org) and people's access tokens (`dagyat_<id>_<secret>`, from POST /auth/login),
told apart by their shape alone. A person picks the org with the X-Dagy-Org header (an
org id or name; see application/use_cases/people.py); an API key belongs to one org, and
an X-Dagy-Org naming any other answers 404."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.application.use_cases import accounts, identity_tokens, people, rate_limits, sessions
from dagy.domain.access_tokens import ACCESS, REFRESH, token_kind
from dagy.domain.permissions import require
from dagy.domain.tenancy import AuthenticationError
from dagy.entrypoints.api.access_log import note_caller
from dagy.entrypoints.api.permissions import permission_for
from dagy.entrypoints.api.request_origin import request_origin


async def get_deps(request: Request) -> Deps:
    """The Deps this app was built with (kept on app.state, never in a global)."""
    return request.app.state.deps


ORG_HEADER = "x-dagy-org"
SIGN_IN_WITH_IDP = ("sign-in goes through the identity provider: send its JWT as the "
                    "Bearer token (Dagy access tokens are off: DAGY_JWT_REQUIRED)")


async def get_principal(request: Request) -> Principal:
    """Resolve the caller's credential; AuthenticationError (401) if missing or invalid,
    NotFoundError (404) for an X-Dagy-Org the caller is not a member of.

    Async on purpose: a key the embedded server has just seen is answered from memory
    on the event loop, without a thread hop (the hot path); otherwise the credential's
    indexed reads run in the thread pool, so that they never stall the loop's other
    requests. A revoked key or token is refused at once either way.
    """
    deps = request.app.state.deps
    principal = await _resolve(deps, bearer_token(request), request.headers.get(ORG_HEADER))
    note_caller(request.scope, principal)  # the access log's credential and org
    _authorize(request, principal)
    limiter = deps.rate_limiter
    if limiter is not None and limiter.does_io:
        admitted = await run_in_threadpool(rate_limits.admit, deps, principal)
    else:
        admitted = rate_limits.admit(deps, principal)
    if admitted is not None:
        request.state.rate_limit = admitted  # RateLimit-* headers on the answer
    ip, request_id = request_origin(request)  # for the audit log
    return dataclasses.replace(principal, ip=ip, request_id=request_id)


def bearer_token(request: Request) -> str | None:
    """The credential of `Authorization: Bearer <credential>`; None without the header;
    AuthenticationError for another scheme or an empty one."""
    header = request.headers.get("authorization")
    if header is None or not header.strip():
        return None
    scheme, _, credential = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise AuthenticationError("Authorization header must be 'Bearer <api_key>'")
    return credential.strip()


async def _resolve(deps: Deps, credential: str | None, org: str | None) -> Principal:
    """One branch per kind of credential, chosen by its shape (no I/O)."""
    if not credential:
        return accounts.authenticate(deps, None)  # raises: no key, no I/O
    if credential.count(".") == 2:  # header.body.signature: no Dagy credential has a dot
        # a person's identity-provider JWT (401 when none is configured); verifying it
        # may fetch the provider's keys, so it runs in the thread pool
        return await run_in_threadpool(identity_tokens.authenticate_identity_token, deps,
                                       credential, org)
    kind = token_kind(credential)
    if kind in (ACCESS, REFRESH) and deps.jwt_required:
        raise AuthenticationError(SIGN_IN_WITH_IDP)
    if kind == ACCESS:  # a person: the org from X-Dagy-Org, the role from the membership
        return await run_in_threadpool(sessions.authenticate_access_token, deps, credential,
                                       org)
    if kind == REFRESH:
        raise AuthenticationError("a refresh token cannot authenticate requests: exchange it "
                                  "for an access token at POST /auth/refresh")
    principal = accounts.cached_principal(deps, credential)
    if principal is None:
        principal = await run_in_threadpool(accounts.authenticate, deps, credential)
    if org is not None and org.strip() not in ("", principal.org_id):  # by name: one read
        await run_in_threadpool(people.check_key_org, deps, principal, org)
    return principal


def _authorize(request: Request, principal: Principal) -> None:
    """ForbiddenError (403) unless the caller's role holds the operation's permission
    (entrypoints/api/permissions.py). Checked before the operation reads anything, so a
    refusal says nothing about whether the named resource exists."""
    route = request.scope.get("route")
    permission = permission_for(request.method, getattr(route, "path", request.url.path))
    if permission is not None:
        require(principal.role, permission)


DepsDep = Annotated[Deps, Depends(get_deps)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
