"""Relay committed outbox events to the queue, then mark them dispatched.

A crash between send and mark sends an event twice; handlers are idempotent, so
that is safe, while an event is never lost.
"""

from __future__ import annotations

from dagy.application.deps import Deps


def relay_outbox(deps: Deps, limit: int = 100) -> int:
    with deps.uow() as uow:
        events = uow.outbox.pending(limit)
    if not events:
        return 0
    deps.queue.send([event.body for event in events])
    with deps.uow() as uow:
        uow.outbox.mark_dispatched([event.event_id for event in events], deps.clock.now())
        uow.commit()
    return len(events)
