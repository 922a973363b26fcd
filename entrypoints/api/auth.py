"""Bearer API keys: `Authorization: Bearer dagy_<prefix>_<secret>` -> Principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.application.use_cases import accounts, rate_limits
from dagy.domain.permissions import require
from dagy.domain.tenancy import AuthenticationError
from dagy.entrypoints.api.permissions import permission_for


async def get_deps(request: Request) -> Deps:
    """The Deps this app was built with (kept on app.state, never in a global)."""
    return request.app.state.deps


async def get_principal(request: Request) -> Principal:
    """Resolve the caller's API key; AuthenticationError (401) if missing or invalid.

    Async on purpose: a key the embedded server has just seen is answered from memory
    on the event loop, without a thread hop (the hot path); otherwise the key's one
    indexed read runs in the thread pool, so that it never stalls the loop's other
    requests. A revoked key is refused at once either way (use_cases/accounts.py).
    """
    deps = request.app.state.deps
    header = request.headers.get("authorization")
    if header is None or not header.strip():
        return accounts.authenticate(deps, None)  # raises: no key, no I/O
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise AuthenticationError("Authorization header must be 'Bearer <api_key>'")
    key = key.strip()
    principal = accounts.cached_principal(deps, key)
    if principal is None:
        principal = await run_in_threadpool(accounts.authenticate, deps, key)
    _authorize(request, principal)
    limiter = deps.rate_limiter
    if limiter is not None and limiter.does_io:
        admitted = await run_in_threadpool(rate_limits.admit, deps, principal)
    else:
        admitted = rate_limits.admit(deps, principal)
    if admitted is not None:
        request.state.rate_limit = admitted  # RateLimit-* headers on the answer
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
