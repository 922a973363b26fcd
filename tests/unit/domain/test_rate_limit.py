"""The token bucket: never more than burst + rate x elapsed, honest Retry-After."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dagy.domain.errors import ConfigurationError
from dagy.domain.rate_limit import Limit, take

limits = st.builds(Limit, rate=st.floats(min_value=0.1, max_value=1000), burst=st.integers(1, 500))
gaps = st.lists(st.floats(min_value=-5, max_value=5), min_size=1, max_size=200)


@given(limits, gaps)
def test_allowed_requests_never_exceed_burst_plus_refill(limit, steps):
    bucket, now, start, allowed = None, 100.0, 100.0, 0
    latest = now
    for gap in steps:
        now += gap
        verdict, bucket = take(bucket, limit, now)
        latest = max(latest, now)
        allowed += verdict.allowed
        assert 0 <= verdict.remaining <= limit.burst
        assert verdict.allowed or verdict.retry_after > 0
    assert allowed <= limit.burst + (latest - start) * limit.rate + 1e-6


@given(limits)
def test_a_refused_request_is_allowed_once_retry_after_has_passed(limit):
    bucket, now = None, 0.0
    for _ in range(limit.burst):
        verdict, bucket = take(bucket, limit, now)
        assert verdict.allowed
    refused, bucket = take(bucket, limit, now)
    assert not refused.allowed and int(refused.retry_after_header) >= 1
    later, _ = take(bucket, limit, now + refused.retry_after + 1e-6)
    assert later.allowed


def test_a_disabled_limit_always_allows():
    off = Limit(rate=0, burst=0)
    bucket = None
    for _ in range(1000):
        verdict, bucket = take(bucket, off, 0.0)
        assert verdict.allowed


@pytest.mark.parametrize("rate,burst", [(-1, 5), (float("nan"), 5), (1, 0), (1, -2), (1, 1.5)])
def test_a_bad_limit_is_a_configuration_error(rate, burst):
    with pytest.raises(ConfigurationError):
        Limit(rate=rate, burst=burst)
