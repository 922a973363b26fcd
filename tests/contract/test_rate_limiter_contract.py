"""RateLimiter contract (application/ports/rate_limit.py) on every adapter."""

from __future__ import annotations

import threading

import pytest
from contract_databases import empty_database

from dagy.adapters.memory.rate_limit import InMemoryRateLimiter
from dagy.domain.rate_limit import Limit


BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=BACKENDS)
def limiter_and_clock(request, tmp_path):
    clock = FakeClock()
    if request.param == "memory":
        yield InMemoryRateLimiter(clock=clock), clock
        return
    from dagy.adapters.sql.migrate import upgrade
    from dagy.adapters.sql.rate_limit import SqlRateLimiter
    with empty_database(request.param, tmp_path) as engine:
        upgrade(engine)
        yield SqlRateLimiter(engine, clock=clock), clock


def test_two_limiters_on_one_database_share_the_bucket(tmp_path):
    from dagy.adapters.sql.migrate import upgrade
    from dagy.adapters.sql.rate_limit import SqlRateLimiter
    clock = FakeClock()
    with empty_database("sqlite", tmp_path) as engine:
        upgrade(engine)
        one, two = SqlRateLimiter(engine, clock=clock), SqlRateLimiter(engine, clock=clock)
        limit = Limit(rate=1, burst=2)
        assert [one.take("k", limit).allowed, two.take("k", limit).allowed,
                one.take("k", limit).allowed] == [True, True, False]


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
