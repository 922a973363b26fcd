"""Port: the event queue (at-least-once delivery)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence


@dataclass(frozen=True)
class QueueMessage:
    message_id: str
    body: str
    receipt: str
    receive_count: int


class EventQueue(Protocol):
    """Contract:
    - `send` makes each body receivable (once per receive until acked).
    - `receive` hides returned messages for `visibility_timeout` seconds; a message not
      acked by then becomes receivable again with `receive_count` + 1.
    - A message received more than `max_receives` times moves to the dead-letter queue
      instead of being returned (`dead_letters()` lists their bodies).
    - `ack(receipt)` deletes the message; acking twice or a stale receipt is harmless.
    - `release(receipt)` makes it receivable again at once (a failed attempt).
    - Durable adapters keep unacked messages across restarts.
    """

    def send(self, bodies: Sequence[str]) -> None: ...
    def receive(self, max_messages: int = 10, visibility_timeout: float = 30,
                wait_seconds: float = 0) -> list[QueueMessage]: ...
    def wait_for_work(self, timeout: float) -> bool:
        """Block until a message may be receivable, so an idle consumer need not poll:
        True as soon as a message was sent or released since the calling thread's last
        `receive` (at once if that already happened, so a send between the two is not
        missed); False once `timeout` seconds pass first. A True may be spurious (the
        message went to another consumer), and a message turning visible again after its
        visibility timeout need not wake anyone: callers receive again after a timeout
        too. Adapters that can observe sends only in-process say so."""
        ...

    def ack(self, receipt: str) -> None: ...
    def release(self, receipt: str) -> None: ...
    def dead_letters(self) -> list[str]: ...
