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


def admit_login(deps: Deps, email: str, ip: str | None) -> None:
    """Take a token from the login buckets of this email and of this client address;
    RateLimitedError (429) if either is empty.

    Runs before the password is checked and counts every attempt, a correct one too: a
    guesser whose bucket is empty learns nothing from the answer. The email's bucket
    holds the limit, the address's ten times it (several people behind one NAT); a key
    is the lower-cased email as sent, so spelling variants do not buy more attempts."""
    limiter, limit = deps.rate_limiter, deps.login_rate_limit
    if limiter is None or not limit.enabled:
        return
    verdict = limiter.take(f"login:{email.strip().lower()}", limit)
    if not verdict.allowed:
        raise RateLimitedError("logins for this email", verdict, limit)
    if ip:
        per_ip = Limit(limit.rate * 10, limit.burst * 10)
        verdict = limiter.take(f"login-ip:{ip}", per_ip)
        if not verdict.allowed:
            raise RateLimitedError("logins from this address", verdict, per_ip)
