"""The token bucket: how many requests a credential (or an org) may make, and when next.

A bucket holds at most `burst` tokens and refills at `rate` tokens per second; a request
takes one token or is refused with the time until one is back. The state is two numbers
(tokens, time of the last update), so any store that can read and write them atomically
(a dict under a lock, one SQL row) can keep it. This module only computes; the
RateLimiter port (application/ports/rate_limit.py) stores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dagy.domain.errors import ConfigurationError, DagyError


@dataclass(frozen=True)
class Limit:
    rate: float  # tokens per second; 0 turns limiting off
    burst: int  # bucket size: how many requests may come at once after a quiet spell

    def __post_init__(self) -> None:
        if not (isinstance(self.rate, (int, float)) and math.isfinite(self.rate)
                and self.rate >= 0):
            raise ConfigurationError("rate limit per second must be a number >= 0")
        if not isinstance(self.burst, int) or isinstance(self.burst, bool) or self.burst < 0:
            raise ConfigurationError("rate limit burst must be an integer >= 0")
        if self.rate > 0 and self.burst < 1:
            raise ConfigurationError("rate limit burst must be at least 1 when a rate is set")

    @property
    def enabled(self) -> bool:
        return self.rate > 0


@dataclass(frozen=True)
class Bucket:
    tokens: float
    updated_at: float  # seconds (any monotonic-enough clock the store shares)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    remaining: int  # whole tokens left after this request
    retry_after: float  # seconds until one token is back (0 when allowed)
    reset_after: float  # seconds until the bucket is full again

    @property
    def retry_after_header(self) -> str:
        """Retry-After in whole seconds, never 0 for a refusal (RFC 9110 wants an integer)."""
        return str(max(1, math.ceil(self.retry_after))) if not self.allowed else "0"


def take(bucket: Bucket | None, limit: Limit, now: float) -> tuple[Verdict, Bucket]:
    """One request against `bucket` (None: a new, full bucket) at time `now`.

    Time that runs backwards (clocks of different hosts) refills nothing and never
    takes tokens away."""
    if not limit.enabled:
        return Verdict(True, limit.burst, 0.0, 0.0), bucket or Bucket(float(limit.burst), now)
    if bucket is None:
        bucket = Bucket(float(limit.burst), now)
    elapsed = max(0.0, now - bucket.updated_at)
    tokens = min(float(limit.burst), bucket.tokens + elapsed * limit.rate)
    stamp = max(now, bucket.updated_at)
    if tokens >= 1.0:
        tokens -= 1.0
        verdict = Verdict(True, int(tokens), 0.0, (limit.burst - tokens) / limit.rate)
    else:
        verdict = Verdict(False, 0, (1.0 - tokens) / limit.rate,
                          (limit.burst - tokens) / limit.rate)
    return verdict, Bucket(tokens, stamp)


class RateLimitedError(DagyError):
    """Too many requests for a credential or an org (HTTP 429). Carries what the
    Retry-After and RateLimit-* headers say."""

    def __init__(self, scope: str, verdict: Verdict, limit: Limit) -> None:
        super().__init__(f"rate limit of {scope} exceeded ({limit.rate:g} requests/s, bursts "
                         f"of {limit.burst}); retry after {verdict.retry_after_header} s")
        self.verdict, self.limit = verdict, limit

    def headers(self) -> dict[str, str]:
        return {"Retry-After": self.verdict.retry_after_header,
                **rate_limit_headers(self.verdict, self.limit)}


def rate_limit_headers(verdict: Verdict, limit: Limit) -> dict[str, str]:
    """The RateLimit-* fields (IETF httpapi draft): the bucket size, what is left, and the
    seconds until it is full again."""
    return {"RateLimit-Limit": str(limit.burst), "RateLimit-Remaining": str(verdict.remaining),
            "RateLimit-Reset": str(math.ceil(verdict.reset_after))}
