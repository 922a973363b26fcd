"""The outbox, when the event queue lives in the same database: enqueue in the transaction.

The outbox exists so that a change and the event announcing it commit together. When
the queue is a table of the same database (the embedded default), inserting the queue
message in that very transaction gives the same guarantee without a relay hop: a
rolled-back trigger leaves no message, a committed one is receivable at once.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone
from typing import Sequence

from sqlalchemy.engine import Connection

from dagy.adapters.sequence import SequenceGenerator
from dagy.adapters.sql.queue_signal import notify_in_transaction
from dagy.adapters.sql.rows import SequencedRepository
from dagy.adapters.sql.tables import queue_messages
from dagy.domain.events import OutboxEvent

_INSERT = queue_messages.insert()


class SqlQueueOutbox(SequencedRepository):
    """OutboxRepository that writes straight into `queue_messages` (queue `queue_name`);
    `sequence` must be the one the SqlEventQueue reading that table numbers with (the
    database's), so both keep one creation order."""

    def __init__(self, connection: Connection, queue_name: str,
                 sequence: SequenceGenerator) -> None:
        super().__init__(connection, sequence)
        self.queue_name = queue_name
        self.enqueued = False  # set once rows were added: the unit of work signals on commit

    def add(self, event: OutboxEvent) -> None:
        self.add_many([event])

    def add_many(self, events: Sequence[OutboxEvent]) -> None:
        if not events:
            return
        now_ms, created = int(time.time() * 1000), datetime.now(timezone.utc)
        rows = [{"message_id": uuid.uuid4().hex, "queue": self.queue_name, "body": event.body,
                 "visible_at": now_ms, "receive_count": 0, "receipt": None, "seq": seq,
                 "created_at": created}
                for event, seq in zip(events, self._sequence.take(len(events)))]
        self._run(_INSERT, rows, f"{len(rows)} queued events")
        if not self.enqueued:
            notify_in_transaction(self._conn)  # PostgreSQL: other processes' consumers wake
        self.enqueued = True

    def pending(self, limit: int = 100) -> list[OutboxEvent]:
        """Always empty: nothing waits for a relay, every event was enqueued in the
        transaction that committed it (the outbox contract's "direct" capability)."""
        return []

    def mark_dispatched(self, event_ids: Sequence[str], at: datetime) -> None:
        """Nothing to mark: no event of this outbox is ever pending."""
        return None
