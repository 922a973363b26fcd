"""One outbox relay per server process: only the relay loop's thread ever relays; the
scheduler tick wakes it instead of relaying itself."""

from __future__ import annotations

import threading
import time

import pytest

from dagy.entrypoints import workers
from waiting import wait_until


@pytest.fixture
def relay_threads(monkeypatch) -> list[str]:
    """The name of the thread of every relay_outbox call the workers make."""
    threads: list[str] = []

    def relay(deps, limit=100):
        threads.append(threading.current_thread().name)
        return 0

    monkeypatch.setattr(workers, "relay_outbox", relay)
    return threads


def test_only_the_relay_loop_relays_and_the_tick_wakes_it(container, relay_threads) -> None:
    group = workers.Workers(container.deps, consumers=1, tick_seconds=0.05)
    group.relay.interval = 60.0  # idle waits outlast the test: every further call is a wake
    group.start()
    try:
        wait_until(lambda: group.ticker.ticks >= 3 and len(relay_threads) >= 3)
    finally:
        assert group.stop(timeout=5)
    assert set(relay_threads) == {"dagy-outbox-relay"}
    relay_loops = [loop for loop in group.loops if isinstance(loop, workers.OutboxRelay)]
    assert relay_loops == [group.relay] and group.relay.thread_count == 1


def test_a_woken_relay_runs_at_once_and_stops_promptly_while_idle(relay_threads) -> None:
    relay = workers.OutboxRelay(deps=None, interval=60.0)
    relay.start()
    try:
        wait_until(lambda: len(relay_threads) == 1)
        relay.wake()
        wait_until(lambda: len(relay_threads) == 2, timeout=2)
    finally:
        started = time.monotonic()
        assert relay.stop(timeout=2)
    assert time.monotonic() - started < 1
    assert len(relay_threads) == 2
