"""The background loops of `dagy server`: outbox relay, queue consumers, lease sweeper and
the scheduler tick, and the recovery of the server's own interrupted runs at start.

Each loop is a small object with `start()` / `stop()`. A loop runs on daemon threads,
waits on its stop Event (never a bare sleep, so stopping is prompt) and survives
errors: an exception is logged and the loop carries on after a short back-off.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Sequence

from dagy.application.bus import MessageBus
from dagy.application.consumer import consume_batch
from dagy.application.deps import Deps
from dagy.application.use_cases.lost_leases import reclaim_own_leases, requeue_expired
from dagy.application.use_cases.scheduler import run_tick
from dagy.application.use_cases.outbox import relay_outbox
from dagy.entrypoints.s3_notifications import as_envelope

logger = logging.getLogger("dagy.workers")

RELAY_IDLE_SECONDS = 0.05  # the first idle wait; it doubles while idle, up to the cap
RELAY_IDLE_MAX_SECONDS = 5.0  # relaying is also woken by the commits of this process
RELAY_BATCH = 100
CONSUMER_THREADS = 2
CONSUMER_WAIT_SECONDS = 5.0  # the back-off cap; a send wakes a waiting thread at once
CONSUMER_FIRST_WAIT_SECONDS = 0.05
SWEEP_SECONDS = 5.0
ERROR_BACKOFF_SECONDS = 1.0


class Loop:
    """Calls `step()` until stopped; `step` returns how long to wait before the next call."""

    name = "loop"

    def __init__(self, threads: int = 1, initial_delay: float = 0.0,
                 error_backoff: float = ERROR_BACKOFF_SECONDS) -> None:
        if threads < 1:
            raise ValueError(f"{self.name} needs at least one thread, got {threads}")
        self.thread_count = threads
        self.initial_delay = initial_delay
        self.error_backoff = error_backoff
        self.errors = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._last_error: str | None = None

    def step(self) -> float:
        raise NotImplementedError

    def start(self) -> None:
        if self._threads:
            raise RuntimeError(f"{self.name} already started")
        for index in range(self.thread_count):
            suffix = f"-{index + 1}" if self.thread_count > 1 else ""
            thread = threading.Thread(target=self._run, name=f"dagy-{self.name}{suffix}",
                                      daemon=True)
            self._threads.append(thread)
            thread.start()

    def request_stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float) -> bool:
        """Wait for the threads (at most `timeout` seconds in all); True if they all ended."""
        deadline = time.monotonic() + max(0.0, timeout)
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not self.alive

    def stop(self, timeout: float = 5.0) -> bool:
        self.request_stop()
        return self.join(timeout)

    @property
    def alive(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _run(self) -> None:
        if self.initial_delay > 0 and self._stop.wait(self.initial_delay):
            return
        while not self._stop.is_set():
            try:
                pause = self.step()
                self._last_error = None
            except Exception as exc:  # noqa: BLE001 - a loop must outlive any one failure
                self.errors += 1
                self._log_failure(exc)
                pause = self.error_backoff
            if pause > 0:
                self._stop.wait(pause)

    def _log_failure(self, exc: Exception) -> None:
        """The traceback once; the same error again (a database that stays down) as one line."""
        described = f"{type(exc).__name__}: {exc}"
        if described == self._last_error:
            logger.warning("%s failed again: %s", self.name, described)
        else:
            logger.exception("%s failed; it keeps running", self.name)
        self._last_error = described


class OutboxRelay(Loop):
    """The process's one outbox relay: moves committed outbox events to the queue, at
    once again after a full batch, and at once when `wake()` is called (other loops that
    just committed events wake it instead of relaying themselves, so one thread of the
    process ever relays). Idle, it waits 50 ms, doubling each empty round up to
    `max_interval` (an idle server does not query the outbox 20 times a second); any
    relayed event resets the wait."""

    name = "outbox-relay"

    def __init__(self, deps: Deps, interval: float = RELAY_IDLE_SECONDS,
                 batch: int = RELAY_BATCH, max_interval: float = RELAY_IDLE_MAX_SECONDS) -> None:
        super().__init__()
        self.deps, self.interval, self.batch = deps, interval, batch
        self.max_interval = max(interval, max_interval)
        self._idle_wait = interval
        self._wake = threading.Event()

    def wake(self) -> None:
        """Relay now instead of at the end of the idle interval."""
        self._wake.set()

    def request_stop(self) -> None:
        super().request_stop()
        self._wake.set()  # an idle wait ends at once

    def step(self) -> float:
        self._wake.clear()
        relayed = relay_outbox(self.deps, self.batch)
        if relayed:
            self._idle_wait = self.interval
        if relayed < self.batch:
            if self._wake.wait(self._idle_wait):
                self._idle_wait = self.interval
            elif not relayed:
                self._idle_wait = min(self._idle_wait * 2, self.max_interval)
        return 0.0


class Consumer(Loop):
    """N threads, each receiving one message at a time (a run can take long, so one thread
    never holds messages another idle thread could start). A message stays invisible for
    twice the lease; if this process dies with it, it is delivered again.

    Idle, a thread does not poll: it waits on the queue's `wait_for_work`, which returns
    as soon as a message is sent (in this process; on PostgreSQL in any process, by
    NOTIFY), or after a wait that starts at `first_wait` and doubles on each empty round
    up to `wait_seconds`, for messages that turn visible again without a send."""

    name = "consumer"

    def __init__(self, bus: MessageBus, threads: int = CONSUMER_THREADS,
                 wait_seconds: float = CONSUMER_WAIT_SECONDS,
                 visibility_timeout: float | None = None,
                 first_wait: float = CONSUMER_FIRST_WAIT_SECONDS) -> None:
        super().__init__(threads=threads)
        self.bus = bus
        self.wait_seconds = wait_seconds
        self.first_wait = min(first_wait, wait_seconds)
        self._idle = threading.local()  # per thread: its current idle wait
        self.visibility_timeout = (visibility_timeout if visibility_timeout is not None
                                   else bus.deps.lease_seconds * 2)
        self.handled = 0
        self._count_lock = threading.Lock()

    def step(self) -> float:
        received = consume_batch(self.bus, max_messages=1,
                                 visibility_timeout=self.visibility_timeout,
                                 wait_seconds=0, decode=as_envelope)
        with self._count_lock:
            self.handled += received
        if received:
            self._idle.wait = self.first_wait
            return 0.0
        wait = getattr(self._idle, "wait", self.first_wait)
        if self.bus.deps.queue.wait_for_work(wait):
            self._idle.wait = self.first_wait
        else:
            self._idle.wait = min(wait * 2, self.wait_seconds)
        return 0.0


class LeaseSweeper(Loop):
    """Re-queues (or fails, by policy) runs whose executor stopped renewing its lease."""

    name = "lease-sweeper"

    def __init__(self, deps: Deps, interval: float = SWEEP_SECONDS) -> None:
        super().__init__()
        self.deps, self.interval = deps, interval

    def step(self) -> float:
        swept = requeue_expired(self.deps)
        if swept:
            logger.info("re-queued %d run(s) whose lease expired", swept)
        return self.interval


class TickLoop(Loop):
    """The scheduler's heartbeat: every `tick_seconds` it calls each `on_tick` callback.

    In the server the callbacks are the scheduler tick (due schedules and polling
    sensors) and a wake-up of the outbox relay for the runs the tick just queued (the
    LeaseSweeper loop alone sweeps leases). One failing callback does not keep the others from running.
    """

    name = "scheduler-tick"

    def __init__(self, tick_seconds: float,
                 on_tick: Sequence[Callable[[], object]] = ()) -> None:
        if tick_seconds <= 0:
            raise ValueError(f"tick_seconds must be positive, got {tick_seconds}")
        super().__init__(initial_delay=tick_seconds)
        self.tick_seconds = tick_seconds
        self.on_tick: list[Callable[[], object]] = list(on_tick)
        self.ticks = 0

    def step(self) -> float:
        self.ticks += 1
        for callback in list(self.on_tick):
            try:
                callback()
            except Exception:  # noqa: BLE001
                logger.exception("tick callback %s failed",
                                 getattr(callback, "__name__", repr(callback)))
        return self.tick_seconds


class Workers:
    """Every loop of the server, started and stopped together.

    `reclaim_own`: the caller holds `deps.lease_owner` exclusively (see
    dagy.entrypoints.identity), so the runs whose leases it holds were left by this server's
    previous incarnation: `start()` re-queues them before any consumer runs, instead of
    leaving them to the sweeper once their leases expire."""

    def __init__(self, deps: Deps, *, consumers: int = CONSUMER_THREADS,
                 tick_seconds: float = 60.0, bus: MessageBus | None = None,
                 sweep_seconds: float = SWEEP_SECONDS, reclaim_own: bool = False) -> None:
        self.deps = deps
        self.reclaim_own = reclaim_own
        self.reclaimed = 0
        self.relay = OutboxRelay(deps)
        self.consumer = Consumer(bus or MessageBus(deps), threads=consumers)
        self.sweeper = LeaseSweeper(deps, interval=sweep_seconds)
        self.ticker = TickLoop(tick_seconds, on_tick=[
            lambda: run_tick(deps), self.relay.wake])
        self.loops: list[Loop] = [self.relay, self.consumer, self.sweeper, self.ticker]

    def start(self) -> None:
        if self.reclaim_own:
            self._reclaim_own()
        for loop in self.loops:
            loop.start()

    def _reclaim_own(self) -> None:
        try:
            self.reclaimed = reclaim_own_leases(self.deps)
        except Exception:  # noqa: BLE001 - the sweeper still recovers them once they expire
            logger.exception("could not take back this server's interrupted runs")
            return
        if self.reclaimed:
            logger.info("took back %d run(s) interrupted when this server last stopped",
                        self.reclaimed)

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop every loop; consumers finish the message in hand if they can within
        `timeout`. True if every thread ended (a message still being handled after that
        stays invisible and is delivered again once its visibility timeout passes)."""
        for loop in self.loops:
            loop.request_stop()
        deadline = time.monotonic() + timeout
        return all([loop.join(deadline - time.monotonic()) for loop in self.loops])
