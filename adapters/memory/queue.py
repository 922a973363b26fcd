"""InMemoryEventQueue: the EventQueue port in one process (local runs and tests).

Thread-safe: one lock guards the state and a Condition wakes long-polling receivers
when a message is sent or released. Visibility uses the injectable `clock`; how long
`receive(wait_seconds=...)` blocks is always measured in real time, so a frozen test
clock never makes a receiver hang.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from typing import Callable, Sequence

from dagy.application.ports.queue import QueueMessage

_MIN_WAKE = 0.005  # seconds: the shortest sleep while waiting for a message to turn visible


@dataclass
class _Entry:
    message_id: str
    body: str
    visible_at: float = 0.0
    receive_count: int = 0
    receipt: str | None = None


class InMemoryEventQueue:
    def __init__(self, max_receives: int = 5,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if max_receives < 1:
            raise ValueError(f"max_receives must be >= 1, got {max_receives}")
        self.max_receives = max_receives
        self._clock = clock
        self._cond = threading.Condition(threading.Lock())
        self._messages: dict[str, _Entry] = {}  # insertion order is send order (FIFO-ish)
        self._by_receipt: dict[str, str] = {}
        self._dead: list[str] = []
        self._generation = 0  # bumped by every send and release (wait_for_work)
        self._seen = threading.local()  # per thread: the generation at its last receive

    def send(self, bodies: Sequence[str]) -> None:
        if isinstance(bodies, str):
            raise TypeError("send() takes a sequence of bodies, not a single string")
        entries = [_Entry(uuid.uuid4().hex, str(body)) for body in bodies]
        if not entries:
            return
        with self._cond:
            for entry in entries:
                entry.visible_at = self._clock()
                self._messages[entry.message_id] = entry
            self._generation += 1
            self._cond.notify_all()

    def receive(self, max_messages: int = 10, visibility_timeout: float = 30,
                wait_seconds: float = 0) -> list[QueueMessage]:
        _check_receive_args(max_messages, visibility_timeout, wait_seconds)
        deadline = time.monotonic() + wait_seconds
        with self._cond:
            while True:
                self._seen.generation = self._generation
                got = self._claim(max_messages, visibility_timeout)
                remaining = deadline - time.monotonic()
                if got or remaining <= 0:
                    return got
                self._cond.wait(self._sleep_for(remaining))

    def wait_for_work(self, timeout: float) -> bool:
        """True once a message was sent or released since this thread's last `receive`;
        False when `timeout` (real seconds) passes first."""
        seen = getattr(self._seen, "generation", -1)
        with self._cond:
            return self._cond.wait_for(lambda: self._generation > seen, max(0.0, timeout))

    def ack(self, receipt: str) -> None:
        with self._cond:
            message_id = self._by_receipt.pop(receipt, None)
            if message_id is not None:
                self._messages.pop(message_id, None)

    def release(self, receipt: str) -> None:
        with self._cond:
            entry = self._current(receipt)
            if entry is not None:
                entry.visible_at = self._clock()
                self._generation += 1
                self._cond.notify_all()

    def dead_letters(self) -> list[str]:
        with self._cond:
            return list(self._dead)

    def __len__(self) -> int:
        """Messages not yet acked or dead-lettered, visible or not."""
        with self._cond:
            return len(self._messages)

    # -- internals (called with the lock held) --------------------------------------

    def _current(self, receipt: str) -> _Entry | None:
        message_id = self._by_receipt.get(receipt)
        return None if message_id is None else self._messages.get(message_id)

    def _claim(self, max_messages: int, visibility_timeout: float) -> list[QueueMessage]:
        now = self._clock()
        got: list[QueueMessage] = []
        dead: list[_Entry] = []
        for entry in self._messages.values():
            if len(got) >= max_messages:
                break
            if entry.visible_at > now:
                continue
            if entry.receive_count >= self.max_receives:
                dead.append(entry)
                continue
            if entry.receipt is not None:
                self._by_receipt.pop(entry.receipt, None)
            entry.receipt = uuid.uuid4().hex
            entry.receive_count += 1
            entry.visible_at = now + visibility_timeout
            self._by_receipt[entry.receipt] = entry.message_id
            got.append(QueueMessage(entry.message_id, entry.body, entry.receipt,
                                    entry.receive_count))
        for entry in dead:
            del self._messages[entry.message_id]
            if entry.receipt is not None:
                self._by_receipt.pop(entry.receipt, None)
            self._dead.append(entry.body)
        return got

    def _sleep_for(self, remaining: float) -> float:
        """Sleep until woken, the wait ends, or the next hidden message turns visible."""
        now = self._clock()
        hidden = [e.visible_at - now for e in self._messages.values() if e.visible_at > now]
        if hidden:
            return max(_MIN_WAKE, min(remaining, min(hidden)))
        return remaining


def _check_receive_args(max_messages: int, visibility_timeout: float,
                        wait_seconds: float) -> None:
    if max_messages < 1:
        raise ValueError(f"max_messages must be >= 1, got {max_messages}")
    if visibility_timeout < 0:
        raise ValueError(f"visibility_timeout must be >= 0, got {visibility_timeout}")
    if wait_seconds < 0:
        raise ValueError(f"wait_seconds must be >= 0, got {wait_seconds}")
