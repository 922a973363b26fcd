"""Admitting a request under the rate limits: one bucket per credential, one per org.

A credential (an API key) has its own bucket, so one noisy script cannot starve its
org's other keys past their own share; the org's bucket bounds all of them together,
so a tenant cannot take the control plane from the others by making more keys.
"""

from __future__ import annotations

from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.domain.rate_limit import Limit, RateLimitedError, Verdict


def admit(deps: Deps, principal: Principal) -> tuple[Verdict, Limit] | None:
    """Take a token from the caller's buckets; RateLimitedError (429) if either is empty.
    Returns the credential's verdict and limit (for the RateLimit-* headers), or None
    when limiting is off."""
    limiter, own, org = deps.rate_limiter, deps.rate_limit, deps.org_rate_limit
    if limiter is None or not (own.enabled or org.enabled):
        return None
    credential = f"key:{principal.key_id}" if principal.key_id else f"user:{principal.user_id}"
    verdict = limiter.take(credential, own)
    if not verdict.allowed:
        raise RateLimitedError("this credential", verdict, own)
    org_verdict = limiter.take(f"org:{principal.org_id}", org)
    if not org_verdict.allowed:
        raise RateLimitedError("this organization", org_verdict, org)
    return verdict, own
