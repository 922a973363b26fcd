"""Random send/receive/ack/release/tick sequences against a small model of the contract,
for the in-memory and the SQLite queue (both take an injectable clock, so the model can
predict every delivery exactly: FIFO by send order, dead letters after `max_receives`)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (Bundle, RuleBasedStateMachine, invariant, multiple,
                                 rule)

from dagy.adapters.memory.queue import InMemoryEventQueue
from dagy.adapters.sql.queue import SqlEventQueue
from queue_harness import create_schema

MAX_RECEIVES = 2


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Modeled:
    body: str
    visible_at: float
    receive_count: int = 0
    receipt: str | None = None


class QueueModel(RuleBasedStateMachine):
    receipts = Bundle("receipts")

    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.queue = self.build()
        self.pending: list[Modeled] = []  # in send order
        self.dead: list[str] = []
        self.sent = 0

    def build(self):
        raise NotImplementedError

    def pending_count(self) -> int:
        raise NotImplementedError

    @rule(count=st.integers(min_value=1, max_value=4))
    def send(self, count):
        bodies = [f"m{self.sent + i}" for i in range(count)]
        self.sent += count
        self.queue.send(bodies)
        self.pending += [Modeled(body, self.clock.now) for body in bodies]

    @rule(target=receipts, max_messages=st.integers(min_value=1, max_value=4),
          visibility=st.sampled_from([0, 1, 3]))
    def receive(self, max_messages, visibility):
        now, expected = self.clock.now, []
        for message in list(self.pending):
            if len(expected) >= max_messages:
                break
            if message.visible_at > now:
                continue
            if message.receive_count >= MAX_RECEIVES:
                self.pending.remove(message)
                self.dead.append(message.body)
                continue
            message.receive_count += 1
            message.visible_at = now + visibility
            expected.append(message)
        got = self.queue.receive(max_messages=max_messages, visibility_timeout=visibility)
        assert [(m.body, m.receive_count) for m in got] == \
            [(m.body, m.receive_count) for m in expected]
        for modeled, message in zip(expected, got):
            modeled.receipt = message.receipt
        return multiple(*[m.receipt for m in got])

    @rule(receipt=receipts)
    def ack(self, receipt):
        self.queue.ack(receipt)
        self.pending = [m for m in self.pending if m.receipt != receipt]

    @rule(receipt=receipts)
    def release(self, receipt):
        self.queue.release(receipt)
        for message in self.pending:
            if message.receipt == receipt:
                message.visible_at = self.clock.now

    @rule(seconds=st.sampled_from([0.5, 1, 2, 5]))
    def tick(self, seconds):
        self.clock.now += seconds

    @invariant()
    def dead_letters_match(self):
        assert sorted(self.queue.dead_letters()) == sorted(self.dead)

    @invariant()
    def nothing_lost(self):
        assert self.pending_count() == len(self.pending)


class MemoryQueueModel(QueueModel):
    def build(self):
        return InMemoryEventQueue(max_receives=MAX_RECEIVES, clock=self.clock)

    def pending_count(self) -> int:
        return len(self.queue)


class SqliteQueueModel(QueueModel):
    def build(self):
        self.tmp = tempfile.mkdtemp(prefix="dagy-queue-model-")
        self.engine = sa.create_engine(f"sqlite:///{Path(self.tmp) / 'queue.db'}")
        create_schema(self.engine)
        return SqlEventQueue(self.engine, max_receives=MAX_RECEIVES, clock=self.clock)

    def pending_count(self) -> int:
        return self.queue.pending_count()

    def teardown(self):
        self.engine.dispose()
        shutil.rmtree(self.tmp, ignore_errors=True)


_settings = settings(max_examples=30, stateful_step_count=25, deadline=None)
TestMemoryQueueModel = _settings(MemoryQueueModel).TestCase
TestSqliteQueueModel = _settings(SqliteQueueModel).TestCase
