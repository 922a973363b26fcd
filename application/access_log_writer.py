"""The access log's batching writer: requests append, one thread writes.

A request's only cost is `record(...)`: a tuple appended to a bounded in-memory buffer
(no lock, no I/O, nothing awaited). One background thread takes what accumulated and
writes it with `AccessLogSink.append_batch`, at most `batch_size` entries per
transaction, every `interval` seconds or as soon as `batch_size` entries wait.

- Full buffer: the entry is dropped and counted (`dropped`); the request never waits.
  The first drop logs one warning.
- A failed write (database down) is logged and retried at the next flush, at most
  `MAX_ATTEMPTS` times, then dropped and counted: the thread never dies of it.
- `stop()` (the server's shutdown, after uvicorn finished its requests) writes what is
  left, then ends the thread. The thread starts at the first record; with
  `autostart=False` there is none (AWS Lambda, whose process is frozen between
  invocations) and the host calls `flush()` itself after each invocation.
- Retention: at every `retention_every` seconds of flushing (and at the first flush),
  entries older than `retention_days` are deleted in steps of `RETENTION_STEP`, at most
  `RETENTION_STEPS` steps a pass, so the pass stays short; 0 days keeps them forever.
  The flusher is the place because it runs wherever requests are answered: the
  embedded server's thread, and each Lambda invocation's flush.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from datetime import datetime, timezone
from typing import Callable

from dagy.application.ports.access_log import AccessLogSink
from dagy.domain.access_log import entry_from_record, retention_cutoff

logger = logging.getLogger("dagy.access_log")

MAX_ATTEMPTS = 3
IDLE_WAIT = 60.0  # seconds an idle writer sleeps between retention checks
RETENTION_STEP = 1000
RETENTION_STEPS = 20


class AccessLogWriter:
    def __init__(self, sink: AccessLogSink, *, capacity: int = 50_000, batch_size: int = 500,
                 interval: float = 1.0, retention_days: int = 30,
                 retention_every: float = 3600.0, autostart: bool = True,
                 now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        if capacity < 1 or batch_size < 1 or interval <= 0 or retention_days < 0:
            raise ValueError("capacity, batch_size and interval must be positive, "
                             "retention_days not negative")
        self.sink, self.capacity, self.batch_size = sink, capacity, batch_size
        self.interval, self.retention_days = interval, retention_days
        self.retention_every, self._now, self._monotonic = retention_every, now, monotonic
        self.autostart = autostart  # the thread starts at the first record
        self._buffer: deque[tuple] = deque()
        self._retry: list[tuple[int, list]] = []  # (attempts so far, entries) of failed writes
        self._wake = threading.Event()
        self._flushing = threading.Lock()  # one flush at a time (thread, stop, Lambda)
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._next_retention: float | None = None  # None: at the first flush
        self.dropped = 0
        self.written = 0
        self.failures = 0
        self.retention_deleted = 0
        self._reported = False  # the drops were summed up at stop

    # -- the request's side: never blocks --------------------------------------------
    def record(self, record: tuple) -> None:
        """Queue one request's record (see dagy.domain.access_log.entry_from_record)."""
        buffer = self._buffer
        if len(buffer) >= self.capacity:
            self.dropped += 1
            if self.dropped == 1:
                logger.warning("the access log's buffer is full (%d entries): entries are "
                               "dropped until the writer catches up", self.capacity)
            return
        buffer.append(record)
        if self._thread is None and self.autostart:
            self.start()
        if len(buffer) in (1, self.batch_size):  # the first since a flush, or a full batch
            self._wake.set()

    @property
    def pending(self) -> int:
        return len(self._buffer) + sum(len(entries) for _, entries in self._retry)

    # -- the writer's side ------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None and not self._stopping.is_set():
            self._thread = threading.Thread(target=self._run, name="dagy-access-log",
                                            daemon=True)
            self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        """Write everything recorded so far, then end the thread (at most `timeout` s)."""
        self._stopping.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        else:
            self.flush(final=True)
        if self.dropped and not self._reported:
            self._reported = True
            logger.warning("access log: %d entries were dropped while this process ran "
                           "(%d written)", self.dropped, self.written)

    def _run(self) -> None:
        """Idle: sleep until a record arrives (or IDLE_WAIT, for retention). Then gather
        for up to `interval` seconds, or until a full batch waits, and flush."""
        while not self._stopping.is_set():
            self._wake.wait(IDLE_WAIT)
            self._wake.clear()
            deadline = self._monotonic() + self.interval
            while len(self._buffer) < self.batch_size and not self._stopping.is_set():
                remaining = deadline - self._monotonic()
                if remaining <= 0:
                    break
                self._wake.wait(remaining)
                self._wake.clear()
            self.flush()
        self.flush(final=True)

    def flush(self, *, final: bool = False) -> int:
        """Write what waits (in batches of `batch_size`), then retention if it is due.
        Answers how many entries were written. Never raises: failures are logged."""
        with self._flushing:
            written = self._retry_failed(final)
            while self._buffer:
                batch = []
                while self._buffer and len(batch) < self.batch_size:
                    batch.append(self._buffer.popleft())
                entries = [entry_from_record(record) for record in batch]
                if not self._write(entries, 0, final):
                    break
                written += len(entries)
            if not final:
                self._enforce_retention_if_due()
            return written

    def _retry_failed(self, final: bool) -> int:
        waiting, self._retry = self._retry, []
        written = 0
        for attempts, entries in waiting:
            if self._write(entries, attempts, final):
                written += len(entries)
        return written

    def _write(self, entries: list, attempts: int, final: bool) -> bool:
        try:
            self.sink.append_batch(entries)
        except Exception as exc:  # noqa: BLE001 - a database error must not end the thread
            self.failures += 1
            if attempts + 1 >= MAX_ATTEMPTS or final:
                self.dropped += len(entries)
                logger.error("access log: %d entries lost, the write failed %d times: %s",
                             len(entries), attempts + 1, exc)
            else:
                self._retry.append((attempts + 1, entries))
                logger.warning("access log: writing %d entries failed (retried at the next "
                               "flush): %s", len(entries), exc)
            return False
        self.written += len(entries)
        return True

    def _enforce_retention_if_due(self) -> None:
        now = self._monotonic()
        if self._next_retention is not None and now < self._next_retention:
            return
        self._next_retention = now + self.retention_every
        self.enforce_retention()

    def enforce_retention(self) -> int:
        """Delete entries older than `retention_days`, in bounded steps; how many."""
        cutoff = retention_cutoff(self._now(), self.retention_days)
        if cutoff is None:
            return 0
        deleted = 0
        try:
            for _ in range(RETENTION_STEPS):
                step = self.sink.delete_older_than(cutoff, RETENTION_STEP)
                deleted += step
                if step < RETENTION_STEP:
                    break
        except Exception as exc:  # noqa: BLE001 - retried at the next pass
            logger.warning("access log retention failed (retried later): %s", exc)
        self.retention_deleted += deleted
        return deleted
