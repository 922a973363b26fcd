"""SqlEventQueue: a durable EventQueue on the `queue_messages` table (SQLite or PostgreSQL).

Each row is one message of queue `queue`; `visible_at` (epoch ms) hides it while a
consumer holds it. `receive` claims visible rows in `seq` order inside one transaction:

- PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED`, so concurrent consumers claim
  disjoint rows without waiting on each other.
- SQLite: the transaction opens with a (no-op) write, which takes the database write
  lock first - BEGIN IMMEDIATE semantics - so claims are serialized.

Either way every claim is a conditional UPDATE (same receipt, still visible) whose
rowcount is checked, so two consumers never get the same delivery. A message already
received `max_receives` times moves to queue `<name>-dlq` instead of being returned.

Receipts are `<message_id>:<token>`; the token changes on every receive, so a stale
receipt neither acks nor releases a later delivery. SQLAlchemy errors never escape:
they become `QueueUnavailableError`.

On a single-connection database (`make_engine("sqlite:///:memory:")`) every operation
holds the engine's `serial_lock`, like the units of work do; with a plain
`create_engine`, use a file database (each thread would get its own `:memory:` DB).
"""

from __future__ import annotations

import threading
import time
import uuid
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from typing import Callable, Iterator, Sequence

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from dagy.adapters.sequence import SequenceGenerator
from dagy.adapters.sql.engine import serial_lock
from dagy.adapters.sql.queue_signal import notify_in_transaction, signal_for
from dagy.adapters.sql.tables import queue_messages as T
from dagy.application.ports.queue import QueueMessage
from dagy.domain.errors import UnavailableError

_INSERT_CHUNK = 100  # rows per INSERT statement (8 columns: well under SQLite's 999 variables)
_MAX_CLAIM_ROUNDS = 50  # bound on the claim loop when many candidates are dead-lettered
_POLL_MAX = 1.0  # seconds: longest wait between claims when no wake-up comes (a
# message turning visible again after its visibility timeout sends no signal)


class QueueUnavailableError(UnavailableError):
    """The queue's database could not be reached or refused an operation."""


class SqlEventQueue:
    def __init__(self, engine: Engine, queue_name: str = "events", max_receives: int = 5,
                 clock: Callable[[], float] = time.time,
                 sequence: SequenceGenerator | None = None) -> None:
        """`sequence` numbers the messages (their `seq`, the receive order): pass the
        database's (SqlDatabase.sequence), which its direct outbox numbers with too."""
        if max_receives < 1:
            raise ValueError(f"max_receives must be >= 1, got {max_receives}")
        self._engine = engine
        self.queue_name = queue_name
        self.dlq_name = f"{queue_name}-dlq"
        self.max_receives = max_receives
        self._clock = clock
        self._sqlite = engine.dialect.name == "sqlite"
        self._lock = serial_lock(engine)
        self._sequence = sequence or SequenceGenerator()
        self._signal = signal_for(engine)
        self._seen = threading.local()  # per thread: the signal generation at its last receive

    def send(self, bodies: Sequence[str]) -> None:
        if isinstance(bodies, str):
            raise TypeError("send() takes a sequence of bodies, not a single string")
        if not bodies:
            return
        now_ms, created = self._now_ms(), datetime.now(timezone.utc)
        rows = [{"message_id": uuid.uuid4().hex, "queue": self.queue_name, "body": str(body),
                 "visible_at": now_ms, "receive_count": 0, "receipt": None, "seq": seq,
                 "created_at": created}
                for body, seq in zip(bodies, self._sequence.take(len(bodies)))]
        with self._errors("send"), self._engine.begin() as conn:
            for start in range(0, len(rows), _INSERT_CHUNK):
                conn.execute(insert(T).values(rows[start:start + _INSERT_CHUNK]))
            notify_in_transaction(conn)
        self._signal.notify()

    def receive(self, max_messages: int = 10, visibility_timeout: float = 30,
                wait_seconds: float = 0) -> list[QueueMessage]:
        if max_messages < 1:
            raise ValueError(f"max_messages must be >= 1, got {max_messages}")
        if visibility_timeout < 0 or wait_seconds < 0:
            raise ValueError("visibility_timeout and wait_seconds must be >= 0")
        deadline = time.monotonic() + wait_seconds
        while True:
            self._seen.generation = self._signal.generation
            with self._errors("receive"):
                got = self._claim(max_messages, visibility_timeout)
            remaining = deadline - time.monotonic()
            if got or remaining <= 0:
                return got
            self.wait_for_work(min(_POLL_MAX, remaining))

    def wait_for_work(self, timeout: float) -> bool:
        """True once a message was sent, released or enqueued by a committed unit of work
        since this thread's last `receive` (in this process, or on PostgreSQL in any
        process, via LISTEN/NOTIFY); False when `timeout` passes first."""
        return self._signal.wait_past(getattr(self._seen, "generation", -1), timeout)

    def ack(self, receipt: str) -> None:
        key = _parse_receipt(receipt)
        if key is None:
            return
        with self._errors("ack"), self._engine.begin() as conn:
            conn.execute(delete(T).where(*self._by_receipt(*key)))

    def release(self, receipt: str) -> None:
        key = _parse_receipt(receipt)
        if key is None:
            return
        with self._errors("release"), self._engine.begin() as conn:
            conn.execute(update(T).where(*self._by_receipt(*key))
                         .values(visible_at=self._now_ms()))
            notify_in_transaction(conn)
        self._signal.notify()

    def dead_letters(self) -> list[str]:
        with self._errors("dead_letters"), self._engine.connect() as conn:
            rows = conn.execute(select(T.c.body).where(T.c.queue == self.dlq_name)
                                .order_by(T.c.seq))
            return [body for (body,) in rows]

    def pending_count(self) -> int:
        """Messages not yet acked or dead-lettered, visible or not."""
        with self._errors("count"), self._engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(T)
                                .where(T.c.queue == self.queue_name)).scalar_one()

    # -- internals ---------------------------------------------------------------------

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    def _by_receipt(self, message_id: str, token: str) -> tuple:
        return (T.c.message_id == message_id, T.c.receipt == token,
                T.c.queue == self.queue_name)

    def _claim(self, max_messages: int, visibility_timeout: float) -> list[QueueMessage]:
        now = self._now_ms()
        hidden_until = now + int(round(visibility_timeout * 1000))
        got: list[QueueMessage] = []
        seen: set[str] = set()
        with self._engine.begin() as conn:
            if self._sqlite:  # take the write lock before reading: BEGIN IMMEDIATE semantics
                conn.execute(update(T).where(T.c.message_id == "")
                             .values(receive_count=T.c.receive_count))
            for _ in range(_MAX_CLAIM_ROUNDS):
                want = max_messages - len(got)
                rows = self._candidates(conn, now, want, seen)
                for message_id, body, count, receipt in rows:
                    seen.add(message_id)
                    if count >= self.max_receives:
                        self._dead_letter(conn, message_id, receipt, now)
                        continue
                    token = uuid.uuid4().hex
                    claimed = conn.execute(
                        update(T).where(*self._still_visible(message_id, receipt, now))
                        .values(visible_at=hidden_until, receive_count=count + 1,
                                receipt=token))
                    if claimed.rowcount == 1:
                        got.append(QueueMessage(message_id, body, f"{message_id}:{token}",
                                                count + 1))
                if len(rows) < want or len(got) >= max_messages:
                    break
        return got

    def _candidates(self, conn: Connection, now: int, limit: int, seen: set[str]) -> list:
        query = (select(T.c.message_id, T.c.body, T.c.receive_count, T.c.receipt)
                 .where(T.c.queue == self.queue_name, T.c.visible_at <= now)
                 .order_by(T.c.seq).limit(limit))
        if seen:
            query = query.where(T.c.message_id.not_in(seen))
        if not self._sqlite:
            query = query.with_for_update(skip_locked=True)
        return list(conn.execute(query).all())

    def _still_visible(self, message_id: str, receipt: str | None, now: int) -> tuple:
        return (T.c.message_id == message_id, T.c.queue == self.queue_name,
                T.c.receipt.is_not_distinct_from(receipt), T.c.visible_at <= now)

    def _dead_letter(self, conn: Connection, message_id: str, receipt: str | None,
                     now: int) -> None:
        conn.execute(update(T).where(*self._still_visible(message_id, receipt, now))
                     .values(queue=self.dlq_name, receipt=None))

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Hold the engine's serial lock (if any) and translate database errors."""
        try:
            with self._lock if self._lock is not None else nullcontext():
                yield
        except SQLAlchemyError as exc:
            detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise QueueUnavailableError(
                f"event queue {self.queue_name!r}: {action} failed: "
                f"{type(exc).__name__}: {detail}") from exc


def _parse_receipt(receipt: str) -> tuple[str, str] | None:
    message_id, sep, token = str(receipt).partition(":")
    return (message_id, token) if sep and message_id and token else None
