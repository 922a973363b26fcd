"""The EventQueue contract (application/ports/queue.py), run against every adapter."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from queue_harness import BUILDERS, KINDS, Harness


@pytest.fixture(params=KINDS)
def harness(request):
    built: Harness = BUILDERS[request.param](request)
    yield built
    built.close()


def receive_until(queue, count=1, timeout=5.0, **kwargs):
    """Receive until `count` messages arrived in total or `timeout` seconds passed."""
    got, deadline = [], time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        got += queue.receive(**kwargs)
        if len(got) < count:
            time.sleep(0.05)
    return got


def test_send_receive_ack(harness):
    queue = harness.make()
    queue.send(["hello"])
    [message] = queue.receive(visibility_timeout=30)
    assert (message.body, message.receive_count) == ("hello", 1)
    assert message.message_id and message.receipt
    queue.ack(message.receipt)
    assert queue.receive(visibility_timeout=0) == []
    assert queue.dead_letters() == []


def test_send_nothing_is_a_no_op(harness):
    queue = harness.make()
    queue.send([])
    assert queue.receive() == []


def test_not_returned_again_while_invisible(harness):
    queue = harness.make()
    queue.send(["a"])
    assert [m.body for m in queue.receive(visibility_timeout=30)] == ["a"]
    assert queue.receive(visibility_timeout=30) == []


def test_redelivered_after_visibility_timeout(harness):
    queue = harness.make()
    queue.send(["a"])
    [first] = queue.receive(visibility_timeout=0.2)
    assert queue.receive(visibility_timeout=0.2) == []
    [again] = receive_until(queue, visibility_timeout=30, timeout=5)
    assert again.message_id == first.message_id
    assert again.receive_count == 2
    assert again.receipt != first.receipt


def test_release_makes_it_visible_at_once(harness):
    queue = harness.make()
    queue.send(["a"])
    [first] = queue.receive(visibility_timeout=30)
    queue.release(first.receipt)
    [again] = queue.receive(visibility_timeout=30)
    assert (again.message_id, again.receive_count) == (first.message_id, 2)


def test_dead_lettered_after_max_receives(harness):
    queue = harness.make(max_receives=2)
    queue.send(["poison", "fine"])
    for attempt in (1, 2):
        got = {m.body: m for m in queue.receive(visibility_timeout=30)}
        assert got["poison"].receive_count == attempt
        queue.release(got["poison"].receipt)
        if "fine" in got:
            queue.ack(got["fine"].receipt)
    assert receive_until(queue, visibility_timeout=30, timeout=0.3) == []
    assert queue.dead_letters() == ["poison"]
    assert queue.dead_letters() == ["poison"]  # listing does not consume
    assert queue.receive(visibility_timeout=0) == []


def test_ack_twice_or_with_a_stale_receipt_is_harmless(harness):
    queue = harness.make()
    queue.send(["a"])
    [first] = queue.receive(visibility_timeout=0)
    [second] = queue.receive(visibility_timeout=30)
    assert second.receive_count == 2
    queue.ack(first.receipt)  # stale: may or may not delete, must not raise
    queue.release(first.receipt)
    queue.ack(second.receipt)
    queue.ack(second.receipt)
    queue.release(second.receipt)
    assert queue.receive(visibility_timeout=0) == []
    assert queue.dead_letters() == []


def test_stale_receipt_does_not_touch_the_new_delivery(harness):
    if harness.kind == "sqs":
        pytest.skip("SQS deletes a message by any of its receipt handles")
    queue = harness.make()
    queue.send(["a"])
    [first] = queue.receive(visibility_timeout=0)
    [second] = queue.receive(visibility_timeout=30)
    queue.ack(first.receipt)
    queue.release(first.receipt)
    assert queue.receive(visibility_timeout=30) == []  # still held by `second`
    queue.release(second.receipt)
    assert [m.receive_count for m in queue.receive()] == [3]


def test_garbage_receipt_is_harmless(harness):
    queue = harness.make()
    queue.ack("not-a-receipt")
    queue.release("not-a-receipt")


def test_batch_send_of_more_than_ten(harness):
    queue = harness.make()
    bodies = [f"m{i}" for i in range(25)]
    queue.send(bodies)
    got = receive_until(queue, count=25, visibility_timeout=30, timeout=10)
    assert Counter(m.body for m in got) == Counter(bodies)
    assert len({m.message_id for m in got}) == 25
    for message in got:
        queue.ack(message.receipt)
    assert queue.receive(visibility_timeout=0) == []


def test_receive_returns_at_most_max_messages(harness):
    queue = harness.make()
    queue.send(["a", "b", "c", "d"])
    assert len(queue.receive(max_messages=2, visibility_timeout=30)) <= 2
    with pytest.raises(ValueError):
        queue.receive(max_messages=0)
    with pytest.raises(ValueError):
        queue.receive(visibility_timeout=-1)


def test_fifo_order(harness):
    if not harness.ordered:
        pytest.skip(f"{harness.kind} does not promise order")
    queue = harness.make()
    queue.send([f"m{i:02}" for i in range(8)])
    queue.send([f"m{i:02}" for i in range(8, 15)])
    got = queue.receive(max_messages=10, visibility_timeout=30)
    got += queue.receive(max_messages=10, visibility_timeout=30)
    assert [m.body for m in got] == [f"m{i:02}" for i in range(15)]
    queue.release(got[3].receipt)  # a released message keeps its place
    assert [m.body for m in queue.receive(max_messages=10)] == ["m03"]


def test_concurrent_consumers_get_each_message_exactly_once(harness):
    if not harness.concurrent:
        pytest.skip(f"{harness.kind}: concurrency is not exercised against the emulator")
    queue = harness.make()
    bodies = [f"m{i}" for i in range(200)]
    queue.send(bodies)
    delivered: list[str] = []
    lock, errors = threading.Lock(), []
    deadline = time.monotonic() + 30

    def consume() -> None:
        # one adapter per consumer over the shared storage; the memory queue is the storage
        consumer = queue if harness.kind == "memory" else harness.make()
        try:
            while time.monotonic() < deadline:
                with lock:
                    if len(delivered) >= len(bodies):
                        return
                for message in consumer.receive(max_messages=10, visibility_timeout=60):
                    consumer.ack(message.receipt)
                    with lock:
                        delivered.append(message.body)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=consume) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=40)
    assert errors == []
    assert Counter(delivered) == Counter(bodies)


def test_unacked_messages_survive_a_restart(harness):
    if not harness.durable:
        pytest.skip(f"{harness.kind} is not durable")
    before = harness.make()
    before.send(["a", "b"])
    [held] = before.receive(max_messages=1, visibility_timeout=0.3)
    assert held.body == "a"
    after = harness.make()  # a new instance over the same database
    [b] = after.receive(max_messages=1, visibility_timeout=30)
    assert b.body == "b"
    [a] = receive_until(after, visibility_timeout=30, timeout=5)
    assert (a.message_id, a.body, a.receive_count) == (held.message_id, "a", 2)
    after.ack(a.receipt)
    after.ack(b.receipt)
    assert harness.make().receive(visibility_timeout=0) == []


def test_long_poll_returns_early_when_a_message_arrives(harness):
    queue = harness.make()
    timer = threading.Timer(0.2, lambda: queue.send(["late"]))
    started = time.monotonic()
    timer.start()
    try:
        got = queue.receive(visibility_timeout=30, wait_seconds=5)
    finally:
        timer.cancel()
    assert [m.body for m in got] == ["late"]
    assert time.monotonic() - started < 2


def test_wait_is_bounded_when_nothing_arrives(harness):
    queue = harness.make()
    started = time.monotonic()
    assert queue.receive(wait_seconds=0.3) == []
    assert time.monotonic() - started < 3


def test_wait_for_work_wakes_when_a_message_is_sent(harness):
    queue = harness.make()
    assert queue.receive(visibility_timeout=30) == []
    timer = threading.Timer(0.2, lambda: queue.send(["late"]))
    started = time.monotonic()
    timer.start()
    try:
        woke = queue.wait_for_work(10)
    finally:
        timer.join(5)
    assert woke is True
    assert time.monotonic() - started < 3  # far below the 10 s timeout: woken, not timed out
    assert [m.body for m in receive_until(queue, visibility_timeout=30)] == ["late"]


def test_wait_for_work_sees_a_send_between_receive_and_wait(harness):
    queue = harness.make()
    assert queue.receive(visibility_timeout=30) == []
    queue.send(["early"])  # before the wait starts: the wake-up must not be lost
    started = time.monotonic()
    assert queue.wait_for_work(10) is True
    assert time.monotonic() - started < 2


def test_wait_for_work_wakes_on_release(harness):
    queue = harness.make()
    queue.send(["a"])
    [held] = receive_until(queue, visibility_timeout=30)
    assert queue.receive(visibility_timeout=30) == []
    threading.Timer(0.2, lambda: queue.release(held.receipt)).start()
    started = time.monotonic()
    assert queue.wait_for_work(10) is True
    assert time.monotonic() - started < 3


def test_wait_for_work_times_out_when_nothing_is_sent(harness):
    queue = harness.make()
    assert queue.receive(visibility_timeout=30) == []
    started = time.monotonic()
    assert queue.wait_for_work(0.3) is False
    assert 0.25 <= time.monotonic() - started < 3
