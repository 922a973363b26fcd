"""Events enqueued in the producing transaction when the queue shares the database."""

from __future__ import annotations

from dagy.adapters.sql.queue import SqlEventQueue
from dagy.adapters.sql.uow import SqlDatabase
from dagy.domain.events import OutboxEvent


def make(tmp_path):
    database = SqlDatabase(f"sqlite:///{tmp_path / 'q.db'}", direct_queue="events")
    database.upgrade()
    return database, SqlEventQueue(database.engine, queue_name="events")


def test_committed_events_are_receivable_at_once_and_never_pending(tmp_path):
    database, queue = make(tmp_path)
    with database.unit_of_work() as uow:
        uow.outbox.add_many([OutboxEvent(f"e{i}", {"dagy_event_type": "x", "i": i})
                             for i in range(3)])
        uow.outbox.add(OutboxEvent("e3", {"dagy_event_type": "x", "i": 3}))
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.outbox.pending() == []
    bodies = [m.body for m in queue.receive(10, 30)]
    assert bodies == [f'{{"dagy_event_type":"x","i":{i}}}' for i in range(4)]
    database.dispose()


def test_rolled_back_events_are_never_enqueued(tmp_path):
    database, queue = make(tmp_path)
    with database.unit_of_work() as uow:
        uow.outbox.add(OutboxEvent("e1", {"dagy_event_type": "x"}))
    assert queue.receive(10, 30) == []
    database.dispose()
