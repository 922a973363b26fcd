"""The outbox contract (application/ports/repositories.py OutboxRepository), on every outbox.

An event added in a committed unit of work reaches the queue after at most one
`relay_outbox`; a rolled-back one never does; relaying twice sends nothing twice.

Outboxes: the in-memory store's, the SQL outbox table (SQLite, PostgreSQL) relayed to a
separate queue, and the direct SqlQueueOutbox (SQLite, PostgreSQL), which enqueues into
`queue_messages` inside the producing transaction. Capability `direct`: nothing is ever
pending, because a committed event is already on the queue.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any, Callable

import pytest

from contract_databases import empty_database
from dagy.application.use_cases.outbox import relay_outbox
from dagy.domain.events import OutboxEvent

KINDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres),
         "sqlite-direct", pytest.param("postgres-direct", marks=pytest.mark.postgres)]
RELAYED_KINDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


class Clock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


@dataclass
class Outbox:
    """An outbox over fresh storage, the queue its events reach, and the relay's deps."""
    kind: str
    uow: Callable[[], Any]
    queue: Any
    direct: bool  # events are enqueued at commit: nothing is ever pending

    @property
    def deps(self) -> SimpleNamespace:
        return SimpleNamespace(uow=self.uow, queue=self.queue, clock=Clock())

    def bodies(self) -> list[str]:
        """Every message on the queue now (received and acknowledged)."""
        got: list[str] = []
        while batch := self.queue.receive(10, 30):
            for message in batch:
                got.append(message.body)
                self.queue.ack(message.receipt)
        return got


def build(kind: str, tmp_path, stack: ExitStack) -> Outbox:
    if kind == "memory":
        from dagy.adapters.memory.queue import InMemoryEventQueue
        from dagy.adapters.memory.repositories import InMemoryStore, InMemoryUnitOfWork
        store = InMemoryStore()
        return Outbox(kind, lambda: InMemoryUnitOfWork(store), InMemoryEventQueue(), False)
    from dagy.adapters.sql.migrate import upgrade
    from dagy.adapters.sql.uow import SqlUnitOfWork
    backend, _, direct = kind.partition("-")
    engine = stack.enter_context(empty_database(backend, tmp_path))
    upgrade(engine)
    if direct:
        from dagy.adapters.sql.queue import SqlEventQueue
        return Outbox(kind, lambda: SqlUnitOfWork(engine, direct_queue="events"),
                      SqlEventQueue(engine, queue_name="events"), True)
    from dagy.adapters.memory.queue import InMemoryEventQueue
    return Outbox(kind, lambda: SqlUnitOfWork(engine), InMemoryEventQueue(), False)


@pytest.fixture(params=KINDS)
def outbox(request, tmp_path):
    with ExitStack() as stack:
        yield build(request.param, tmp_path, stack)


@pytest.fixture(params=RELAYED_KINDS)
def relayed_outbox(request, tmp_path):
    with ExitStack() as stack:
        yield build(request.param, tmp_path, stack)


def event(i: int) -> OutboxEvent:
    return OutboxEvent(f"e{i}", {"dagy_event_type": "x", "i": i})


def add_committed(outbox: Outbox, *events: OutboxEvent, many: bool = False) -> None:
    with outbox.uow() as uow:
        if many:
            uow.outbox.add_many(list(events))
        else:
            for one in events:
                uow.outbox.add(one)
        uow.commit()


def test_committed_events_reach_the_queue_after_at_most_one_relay_in_order(outbox):
    add_committed(outbox, event(0), event(1), many=True)
    add_committed(outbox, event(2))
    with outbox.uow() as uow:
        uow.outbox.add_many([])
        uow.commit()
    relayed = relay_outbox(outbox.deps)
    assert relayed == (0 if outbox.direct else 3)
    assert outbox.bodies() == [event(i).body for i in range(3)]


def test_rolled_back_events_never_reach_the_queue(outbox):
    with outbox.uow() as uow:  # left without commit
        uow.outbox.add(event(0))
    with outbox.uow() as uow:
        uow.outbox.add_many([event(1), event(2)])
        uow.rollback()
        uow.outbox.add(event(3))
        uow.commit()
    assert relay_outbox(outbox.deps) == (0 if outbox.direct else 1)
    assert relay_outbox(outbox.deps) == 0
    assert outbox.bodies() == [event(3).body]


def test_relaying_twice_sends_nothing_twice(outbox):
    add_committed(outbox, *(event(i) for i in range(5)))
    first = relay_outbox(outbox.deps, limit=3)
    assert first == (0 if outbox.direct else 3)
    assert relay_outbox(outbox.deps, limit=3) == (0 if outbox.direct else 2)
    assert relay_outbox(outbox.deps) == 0
    assert outbox.bodies() == [event(i).body for i in range(5)]
    assert relay_outbox(outbox.deps) == 0 and outbox.bodies() == []


def test_pending_holds_committed_events_until_relayed(outbox):
    """The capability flag: a direct outbox has nothing pending, the event is on the
    queue already; any other outbox holds it, oldest first, until the relay marks it."""
    add_committed(outbox, event(0), event(1))
    with outbox.uow() as uow:
        pending = [e.event_id for e in uow.outbox.pending()]
    assert pending == ([] if outbox.direct else ["e0", "e1"])
    if outbox.direct:
        assert outbox.bodies() == [event(0).body, event(1).body]
        return
    assert outbox.bodies() == []
    relay_outbox(outbox.deps)
    with outbox.uow() as uow:
        assert uow.outbox.pending() == []


class FailingQueue:
    def send(self, bodies):
        raise ConnectionError("queue unreachable")


def test_a_failed_send_leaves_the_events_pending_for_the_next_relay(relayed_outbox):
    add_committed(relayed_outbox, event(0), event(1))
    deps = relayed_outbox.deps
    deps.queue = FailingQueue()
    with pytest.raises(ConnectionError):
        relay_outbox(deps)
    assert relay_outbox(relayed_outbox.deps) == 2
    assert relayed_outbox.bodies() == [event(0).body, event(1).body]


class SlowQueue:
    """Sends after a pause, so concurrent relays' units of work overlap."""

    def __init__(self, queue: Any, pause: float = 0.01) -> None:
        self.queue, self.pause = queue, pause

    def send(self, bodies):
        time.sleep(self.pause)
        self.queue.send(bodies)


def test_two_concurrent_relays_publish_each_event_once(relayed_outbox):
    """pending() locks its rows until the relay's commit, which follows send and mark, so
    the other relay skips (PostgreSQL) or waits for (SQLite, memory) those events."""
    count = 60
    add_committed(relayed_outbox, *(event(i) for i in range(count)), many=True)
    deps = relayed_outbox.deps
    deps.queue = SlowQueue(relayed_outbox.queue)
    start, errors = threading.Barrier(2), []

    def relay_all() -> None:
        try:
            start.wait(5)
            for _ in range(count):  # bounded: each round sends at least one event or stops
                if relay_outbox(deps, limit=5) == 0:
                    return
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=relay_all) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and not any(thread.is_alive() for thread in threads)
    relay_outbox(relayed_outbox.deps)  # whatever a relay skipped while locked
    sent = Counter(relayed_outbox.bodies())
    assert sent == Counter(event(i).body for i in range(count))
