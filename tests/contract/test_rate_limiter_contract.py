"""RateLimiter contract (application/ports/rate_limit.py) on every adapter."""

from __future__ import annotations

import threading

import pytest

from dagy.adapters.memory.rate_limit import InMemoryRateLimiter
from dagy.domain.rate_limit import Limit


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory"])
def limiter_and_clock(request):
    clock = FakeClock()
    return InMemoryRateLimiter(clock=clock), clock


def test_a_new_bucket_starts_full_and_refills_at_the_rate(limiter_and_clock):
    limiter, clock = limiter_and_clock
    limit = Limit(rate=2, burst=3)
    assert [limiter.take("k", limit).allowed for _ in range(4)] == [True, True, True, False]
    clock.now += 0.5  # one token back
    assert [limiter.take("k", limit).allowed for _ in range(2)] == [True, False]


def test_keys_are_independent_and_a_disabled_limit_allows(limiter_and_clock):
    limiter, _ = limiter_and_clock
    one = Limit(rate=1, burst=1)
    assert limiter.take("a", one).allowed and not limiter.take("a", one).allowed
    assert limiter.take("b", one).allowed
    assert all(limiter.take("a", Limit(0, 0)).allowed for _ in range(100))


def test_concurrent_takes_never_allow_more_than_the_burst(limiter_and_clock):
    limiter, _ = limiter_and_clock  # the clock stands still: nothing refills
    limit, allowed, lock = Limit(rate=1, burst=50), [], threading.Lock()

    def hammer() -> None:
        got = sum(limiter.take("shared", limit).allowed for _ in range(40))
        with lock:
            allowed.append(got)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(allowed) == 50
