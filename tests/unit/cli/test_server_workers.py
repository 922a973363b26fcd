"""The server's background loops and its first-start profile handling."""

from __future__ import annotations

import threading
import time
import tomllib
from types import SimpleNamespace

import pytest

from dagy.adapters.memory.queue import InMemoryEventQueue
from dagy.entrypoints import profiles, workers
from dagy.entrypoints.server import client_url, ensure_local_profile
from waiting import wait_until


class Flaky(workers.Loop):
    name = "flaky"

    def __init__(self) -> None:
        super().__init__(error_backoff=0.001)
        self.calls = 0

    def step(self) -> float:
        self.calls += 1
        if self.calls <= 2:
            raise RuntimeError("boom")
        return 0.001


def test_a_loop_logs_errors_and_keeps_going_and_stops_promptly(caplog) -> None:
    loop = Flaky()
    loop.start()
    wait_until(lambda: loop.calls >= 5)
    started = time.monotonic()
    assert loop.stop(timeout=2) and time.monotonic() - started < 1
    assert loop.errors == 2 and not loop.alive
    assert "flaky failed; it keeps running" in caplog.text  # traceback once,
    assert "flaky failed again: RuntimeError: boom" in caplog.text  # then one line
    with pytest.raises(RuntimeError, match="already started"):
        loop.start()


def test_relay_runs_again_at_once_after_a_full_batch(monkeypatch) -> None:
    sizes = [3, 3, 1]  # batch of 3: two full batches, then a partial one
    calls: list[float] = []

    def relay(deps, limit):
        calls.append(time.monotonic())
        return sizes.pop(0) if sizes else 0

    monkeypatch.setattr(workers, "relay_outbox", relay)
    loop = workers.OutboxRelay(deps=None, interval=0.2, batch=3)
    loop.start()
    wait_until(lambda: len(calls) >= 4)
    loop.stop()
    assert calls[2] - calls[0] < 0.15  # no idle wait after the full batches
    assert calls[3] - calls[2] >= 0.19  # the idle interval after a partial one


def test_consumers_share_the_queue_and_hide_messages_for_two_leases() -> None:
    queue = InMemoryEventQueue()
    seen: list[dict] = []
    visibility: list[float] = []
    receive = queue.receive

    def spy(max_messages, visibility_timeout, wait_seconds):
        assert max_messages == 1 and wait_seconds == 0  # it waits on wait_for_work, not in receive
        visibility.append(visibility_timeout)
        return receive(max_messages, visibility_timeout, wait_seconds)

    queue.receive = spy
    handled_by: set[str] = set()

    def handle(body, message_id=None):
        handled_by.add(threading.current_thread().name)
        time.sleep(0.02)
        seen.append(body)

    bus = SimpleNamespace(deps=SimpleNamespace(queue=queue, lease_seconds=3), handle=handle)
    consumer = workers.Consumer(bus, threads=2, wait_seconds=0.05)
    queue.send([f'{{"n": {i}}}' for i in range(6)])
    consumer.start()
    wait_until(lambda: len(seen) == 6)
    assert consumer.stop(timeout=2)
    assert len(queue) == 0 and set(visibility) == {6}
    assert handled_by == {"dagy-consumer-1", "dagy-consumer-2"}


def test_tick_calls_every_callback_even_when_one_fails() -> None:
    ticks: list[str] = []

    def bad():
        raise ValueError("nope")

    loop = workers.TickLoop(0.01, on_tick=[bad, lambda: ticks.append("ok")])
    loop.on_tick.append(lambda: ticks.append("schedule"))  # the seam for schedules
    loop.start()
    wait_until(lambda: ticks.count("schedule") >= 2)
    loop.stop()
    assert ticks[:2] == ["ok", "schedule"] and loop.ticks >= 2
    with pytest.raises(ValueError):
        workers.TickLoop(0)


def test_workers_start_and_stop_together_on_a_real_container(container) -> None:
    group = workers.Workers(container.deps, consumers=2, tick_seconds=0.05)
    group.start()
    wait_until(lambda: group.ticker.ticks >= 1)
    started = time.monotonic()
    assert group.stop(timeout=5)
    assert time.monotonic() - started < 2
    assert not any(loop.alive for loop in group.loops)
    assert all(loop.errors == 0 for loop in group.loops)


def test_profile_is_written_on_first_start_and_kept_afterwards(container, tmp_path) -> None:
    home = tmp_path / "home"
    path = profiles.profiles_path(home)
    path.write_text('[prod]\napi_url = "https://x"\n')
    key, written_path, written = ensure_local_profile(container.deps, home, "http://127.0.0.1:1")
    assert written and written_path == path and key.startswith("dagy_")
    assert tomllib.loads(path.read_text()) == {
        "prod": {"api_url": "https://x"},
        "local": {"api_url": "http://127.0.0.1:1", "api_key": key}}
    before = path.read_bytes()
    assert ensure_local_profile(container.deps, home, "http://127.0.0.1:1") == (key, path, False)
    assert path.read_bytes() == before
    assert ensure_local_profile(container.deps, home, "http://127.0.0.1:2")[:3] == (key, path, True)
    profiles.write_profile(path, "local", {"api_key": "dagy_unknown_key"})
    new_key, _, written = ensure_local_profile(container.deps, home, "http://127.0.0.1:2")
    assert written and new_key not in (key, "dagy_unknown_key")
    assert profiles.read_profile(path)["api_key"] == new_key


@pytest.mark.parametrize("host, url", [("127.0.0.1", "http://127.0.0.1:8484"),
                                       ("0.0.0.0", "http://127.0.0.1:8484"),
                                       ("::", "http://[::1]:8484"),
                                       ("localhost", "http://localhost:8484")])
def test_client_url(host: str, url: str) -> None:
    assert client_url(host, 8484) == url
