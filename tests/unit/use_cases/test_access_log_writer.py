"""The access log's batching writer: bounded buffer, batches, failures, stop, retention."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta, timezone

from dagy.adapters.memory.access_log import InMemoryAccessLogSink
from dagy.application.access_log_writer import MAX_ATTEMPTS, AccessLogWriter
from dagy.domain.access_log import AccessLogEntry

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)


def rec(i: int, epoch: float | None = None) -> tuple:
    return (epoch if epoch is not None else NOW.timestamp(), "GET", "/runs", "/runs", 200,
            1.0, "key-1", "org-a", "127.0.0.1", "ua", f"r{i}")


class CountingSink(InMemoryAccessLogSink):
    def __init__(self, failures: int = 0) -> None:
        super().__init__()
        self.batches: list[int] = []
        self.failures = failures

    def append_batch(self, entries):
        if self.failures:
            self.failures -= 1
            raise RuntimeError("database is down")
        self.batches.append(len(entries))
        super().append_batch(entries)


def ids(sink) -> list[str]:
    return [e.request_id for e in reversed(sink.list("org-a", limit=10_000))]


def writer(sink, **kwargs) -> AccessLogWriter:
    kwargs.setdefault("autostart", False)
    return AccessLogWriter(sink, now=lambda: NOW, **kwargs)


def test_flush_writes_in_batches_of_batch_size_in_order():
    sink = CountingSink()
    w = writer(sink, batch_size=3)
    for i in range(7):
        w.record(rec(i))
    assert w.pending == 7 and sink.batches == []  # nothing written on the request's path
    assert w.flush() == 7
    assert sink.batches == [3, 3, 1]
    assert ids(sink) == [f"r{i}" for i in range(7)]
    assert w.pending == 0 and w.written == 7


def test_a_full_buffer_drops_counts_and_warns_once(caplog):
    sink = CountingSink()
    w = writer(sink, capacity=2)
    with caplog.at_level(logging.WARNING, "dagy.access_log"):
        for i in range(5):
            w.record(rec(i))
    assert w.dropped == 3 and w.pending == 2
    assert len([r for r in caplog.records if "buffer is full" in r.message]) == 1
    w.flush()
    assert ids(sink) == ["r0", "r1"]


def test_a_failed_flush_is_retried_then_given_up_without_raising():
    sink = CountingSink(failures=1)
    w = writer(sink)
    w.record(rec(0))
    assert w.flush() == 0 and w.failures == 1 and w.pending == 1  # kept for the next flush
    w.record(rec(1))
    assert w.flush() == 2
    assert ids(sink) == ["r0", "r1"]

    sink.failures = MAX_ATTEMPTS
    w.record(rec(2))
    for _ in range(MAX_ATTEMPTS):
        w.flush()
    assert w.pending == 0 and w.dropped == 1  # given up after MAX_ATTEMPTS
    assert ids(sink) == ["r0", "r1"]


def test_the_thread_flushes_soon_after_a_record_and_stop_writes_the_rest():
    sink = CountingSink()
    w = AccessLogWriter(sink, interval=0.05)
    assert not w.running
    w.record(rec(0))  # starts the thread
    assert w.running
    deadline = time.monotonic() + 5
    while not ids(sink) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ids(sink) == ["r0"]
    w.interval = 60.0  # the next records would wait a minute: stop must write them
    for i in range(1, 4):
        w.record(rec(i))
    time.sleep(0.05)
    w.stop(timeout=5)
    assert not w.running
    assert ids(sink) == ["r0", "r1", "r2", "r3"]


def test_a_full_batch_wakes_the_thread_before_the_interval():
    sink = CountingSink()
    w = AccessLogWriter(sink, interval=30.0, batch_size=10)
    try:
        for i in range(10):
            w.record(rec(i))
        deadline = time.monotonic() + 5
        while len(ids(sink)) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(ids(sink)) == 10
    finally:
        w.stop(timeout=5)


def test_stop_without_a_thread_flushes_and_later_records_start_nothing():
    sink = CountingSink()
    w = writer(sink)
    w.record(rec(0))
    w.stop()
    assert ids(sink) == ["r0"]
    w.autostart = True
    w.record(rec(1))
    assert not w.running


def test_the_thread_survives_a_failing_sink():
    sink = CountingSink(failures=1)
    w = AccessLogWriter(sink, interval=0.02)
    w.record(rec(0))
    deadline = time.monotonic() + 5
    while sink.failures and time.monotonic() < deadline:
        time.sleep(0.01)
    w.record(rec(1))
    while len(ids(sink)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert w.running
    w.stop(timeout=5)
    assert ids(sink) == ["r0", "r1"]


def test_retention_deletes_old_entries_in_bounded_steps_once_per_period(monkeypatch):
    import dagy.application.access_log_writer as module
    monkeypatch.setattr(module, "RETENTION_STEP", 2)
    monkeypatch.setattr(module, "RETENTION_STEPS", 2)
    sink = CountingSink()
    old = (NOW - timedelta(days=31)).timestamp()
    clock = [0.0]
    w = writer(sink, retention_days=30, retention_every=3600, monotonic=lambda: clock[0])
    for i in range(5):
        w.record(rec(i, epoch=old))
    w.record(rec(9))
    w.flush()  # the first flush runs retention: two steps of two
    assert ids(sink) == ["r4", "r9"]
    w.flush()  # not due again yet
    assert ids(sink) == ["r4", "r9"]
    clock[0] += 3600
    w.flush()
    assert ids(sink) == ["r9"] and w.retention_deleted == 5


def test_zero_retention_days_keeps_everything():
    sink = CountingSink()
    w = writer(sink, retention_days=0)
    w.record(rec(0, epoch=(NOW - timedelta(days=3650)).timestamp()))
    w.flush()
    assert w.enforce_retention() == 0 and ids(sink) == ["r0"]


def test_records_from_many_threads_are_all_written():
    sink = CountingSink()
    w = writer(sink)
    threads = [threading.Thread(target=lambda b=b: [w.record(rec(b * 100 + i))
                                                     for i in range(100)]) for b in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    w.flush()
    assert len(ids(sink)) == 400 and isinstance(sink.list("org-a")[0], AccessLogEntry)


def test_stop_sums_up_the_drops_once(caplog):
    w = writer(CountingSink(), capacity=1)
    w.record(rec(0))
    w.record(rec(1))
    with caplog.at_level(logging.WARNING, "dagy.access_log"):
        w.stop()
        w.stop()
    summaries = [r for r in caplog.records if "were dropped" in r.message]
    assert len(summaries) == 1 and "1 entries" in summaries[0].getMessage()
