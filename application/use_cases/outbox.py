"""Relay committed outbox events to the queue, then mark them dispatched.

One unit of work covers read, send and mark: `pending()` locks the rows it returns
(PostgreSQL: FOR UPDATE SKIP LOCKED) until the commit after `mark_dispatched`, so a
concurrent relay skips them instead of publishing them a second time. The send happens
inside that unit of work, so the queue must not wait on the same database's write lock
(a queue in the same database uses the direct outbox, adapters/sql/queue_outbox.py,
which enqueues in the producing transaction and leaves nothing pending).

A crash (or a failed commit) between send and mark sends an event again on the next
relay; handlers are idempotent, so that is safe, while an event is never lost.
"""

from __future__ import annotations

from dagy.application.deps import Deps


def relay_outbox(deps: Deps, limit: int = 100) -> int:
    """Send up to `limit` pending events, oldest first; returns how many were sent."""
    with deps.uow() as uow:
        events = uow.outbox.pending(limit)
        if not events:
            return 0
        deps.queue.send([event.body for event in events])
        uow.outbox.mark_dispatched([event.event_id for event in events], deps.clock.now())
        uow.commit()
    return len(events)
