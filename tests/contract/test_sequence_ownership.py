"""Each database handle numbers its rows with its own generator: the outbox, the direct
queue outbox and the queue all take `seq` from the SqlDatabase they belong to."""

from __future__ import annotations

from sqlalchemy import select

from dagy.adapters.sequence import SequenceGenerator
from dagy.adapters.sql.queue import SqlEventQueue
from dagy.adapters.sql.tables import outbox, queue_messages
from dagy.adapters.sql.uow import SqlDatabase
from dagy.domain.events import OutboxEvent


def _database(tmp_path, name: str, start: int, **kwargs) -> SqlDatabase:
    database = SqlDatabase(f"sqlite:///{tmp_path / name}", **kwargs)
    database.upgrade()
    database.sequence = SequenceGenerator(lambda: start)  # a clock that never moves
    return database


def _seqs(database: SqlDatabase, table) -> list[int]:
    with database.engine.connect() as conn:
        return list(conn.execute(select(table.c.seq).order_by(table.c.seq)).scalars())


def test_units_of_work_of_one_database_share_its_generator(tmp_path):
    database = _database(tmp_path, "a.db", 1_000)
    for n in range(3):
        with database.unit_of_work() as uow:
            uow.outbox.add_many([OutboxEvent(f"e{n}a", {}), OutboxEvent(f"e{n}b", {})])
            uow.commit()
    assert _seqs(database, outbox) == list(range(1_000, 1_006))


def test_two_databases_do_not_share_numbers(tmp_path):
    first, second = _database(tmp_path, "a.db", 10), _database(tmp_path, "b.db", 10)
    for database in (first, second):
        with database.unit_of_work() as uow:
            uow.outbox.add(OutboxEvent("e", {}))
            uow.commit()
    assert _seqs(first, outbox) == _seqs(second, outbox) == [10]


def test_the_queue_and_the_direct_outbox_keep_one_order_with_the_database_generator(tmp_path):
    database = _database(tmp_path, "q.db", 50, direct_queue="events")
    queue = SqlEventQueue(database.engine, "events", sequence=database.sequence)
    queue.send(["first"])
    with database.unit_of_work() as uow:
        uow.outbox.add(OutboxEvent("e", {"n": 2}))
        uow.commit()
    queue.send(["third"])
    assert _seqs(database, queue_messages) == [50, 51, 52]
    bodies = [m.body for m in queue.receive(max_messages=10, visibility_timeout=30)]
    assert bodies == ["first", '{"n":2}', "third"]
