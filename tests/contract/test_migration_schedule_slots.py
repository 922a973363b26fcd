"""Migration 0006 on SQLite and PostgreSQL: a database at 0005 (schedules and runs in it)
gains an empty schedule_slots table; downgrading to 0005 drops only that table and
upgrading again brings it back, the other rows untouched."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import command

from dagy.adapters.sql.migrate import alembic_config, current_revision, upgrade
from dagy.adapters.sql.uow import SqlUnitOfWork
from dagy.domain.schedules.slots import refused_slot

WHEN = datetime(2027, 3, 26, 12, 1, tzinfo=timezone.utc)


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def _downgrade(engine: sa.Engine, revision: str) -> None:
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)


def test_0006_adds_schedule_slots_and_downgrades_cleanly(sql_engine):
    upgrade(sql_engine, "0005")
    assert "schedule_slots" not in _tables(sql_engine)
    with sql_engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO organizations (org_id, name) VALUES ('o', 'acme')"))
    upgrade(sql_engine, "0006")
    assert current_revision(sql_engine) == "0006"
    with SqlUnitOfWork(sql_engine) as uow:
        assert uow.schedules.slots("o", "s1") == ([], None)
        uow.schedules.record_slots([refused_slot("o", "s1", int(WHEN.timestamp()), WHEN,
                                                 "deployment 'd' is paused", WHEN)])
        uow.commit()
    _downgrade(sql_engine, "0005")
    assert current_revision(sql_engine) == "0005"
    assert "schedule_slots" not in _tables(sql_engine) and "schedules" in _tables(sql_engine)
    upgrade(sql_engine)  # to head, past 0006 again
    with SqlUnitOfWork(sql_engine) as uow:
        assert uow.schedules.slots("o", "s1") == ([], None)  # a fresh, empty table
    with sql_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM organizations")).scalar() == 1
