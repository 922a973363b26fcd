"""Requests are admitted under two buckets: the credential's and its org's."""

from __future__ import annotations

import pytest

from dagy.adapters.memory.rate_limit import InMemoryRateLimiter
from dagy.application.principal import Principal
from dagy.application.use_cases.rate_limits import admit
from dagy.domain.rate_limit import Limit, RateLimitedError
from dagy.entrypoints.wiring import build_deps


class StillClock:
    def __call__(self) -> float:
        return 100.0  # nothing refills: counts are exact


def _deps(own: Limit, org: Limit):
    return build_deps(rate_limiter=InMemoryRateLimiter(clock=StillClock()), rate_limit=own,
                      org_rate_limit=org)


def test_each_key_has_its_own_bucket_and_the_org_bounds_them_together():
    deps = _deps(Limit(1, 3), Limit(1, 5))
    one, two = Principal("o", key_id="k1"), Principal("o", key_id="k2")
    assert [admit(deps, one)[0].remaining for _ in range(3)] == [2, 1, 0]
    with pytest.raises(RateLimitedError, match="this credential") as caught:
        admit(deps, one)
    assert caught.value.headers()["Retry-After"] == "1"
    admit(deps, two)
    admit(deps, two)  # the org's 5th token
    with pytest.raises(RateLimitedError, match="this organization"):
        admit(deps, two)
    assert admit(deps, Principal("other", key_id="k3")) is not None  # another org: its own


def test_zero_turns_limiting_off():
    deps = _deps(Limit(0, 0), Limit(0, 0))
    assert all(admit(deps, Principal("o", key_id="k")) is None for _ in range(1000))
