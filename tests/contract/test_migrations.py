"""The Alembic migrations build exactly dagy.adapters.sql.tables.metadata, idempotently."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from dagy.adapters.sql.migrate import alembic_config, upgrade
from dagy.adapters.sql.tables import metadata
from dagy.adapters.sql.repositories import DatastoreError
from dagy.adapters.sql.uow import SqlDatabase, SqlUnitOfWork
from dagy.domain.errors import UnavailableError
from dagy.domain.tenancy import Organization


def _script_heads() -> list[str]:
    """The packaged migrations' head: exactly one (two would mean a forked history)."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"the migrations have {len(heads)} heads: {heads}"
    return heads


def _head(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(sa.text("SELECT version_num FROM alembic_version"))]


def _columns(engine: sa.Engine) -> dict[str, dict[str, tuple]]:
    inspector = sa.inspect(engine)
    return {table: {c["name"]: (c["nullable"],) for c in inspector.get_columns(table)}
            for table in inspector.get_table_names() if table != "alembic_version"}


def test_upgrade_twice_is_idempotent_and_keeps_data(sql_engine):
    upgrade(sql_engine)
    with sql_engine.begin() as conn:
        conn.execute(metadata.tables["organizations"].insert(), {"org_id": "o", "name": "n"})
    upgrade(sql_engine)
    assert _head(sql_engine) == _script_heads()
    with sql_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM organizations")).scalar() == 1


def test_the_migrated_schema_equals_the_metadata(sql_engine):
    upgrade(sql_engine)
    expected = {table.name: {c.name: (c.nullable,) for c in table.columns}
                for table in metadata.sorted_tables}
    assert _columns(sql_engine) == expected
    inspector = sa.inspect(sql_engine)
    for table in metadata.sorted_tables:
        indexes = {i["name"] for i in inspector.get_indexes(table.name)
                   if not i.get("duplicates_constraint")}  # PostgreSQL's unique-key indexes
        assert indexes == {i.name for i in table.indexes}, table.name
        assert (inspector.get_pk_constraint(table.name)["constrained_columns"]
                == [c.name for c in table.primary_key.columns]), table.name
    with sql_engine.connect() as conn:  # types, uniques, defaults: Alembic's own comparison
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_upgrade_takes_a_url_and_a_plain_sqlite_engine(tmp_path):
    url = f"sqlite:///{tmp_path / 'by_url.db'}"
    upgrade(url)
    plain = sa.create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    try:
        upgrade(plain)
        upgrade(plain)
        assert _head(plain) == _script_heads()
    finally:
        plain.dispose()
    database = SqlDatabase(url)
    try:
        database.upgrade()
        with database.unit_of_work() as uow:
            uow.orgs.add(Organization("o", "n"))
            uow.commit()
        with database.unit_of_work() as uow:
            assert uow.orgs.get("o") == Organization("o", "n")
    finally:
        database.dispose()


def test_an_in_memory_sqlite_database_is_shared_by_its_units_of_work():
    database = SqlDatabase("sqlite:///:memory:")
    try:
        database.upgrade()
        with database.unit_of_work() as uow:
            uow.orgs.add(Organization("o", "n"))
            uow.commit()
        with database.unit_of_work() as uow:
            assert uow.orgs.get("o") is not None
    finally:
        database.dispose()


def test_database_failures_surface_as_datastore_errors(sql_engine):
    with SqlUnitOfWork(sql_engine) as uow:  # not migrated: no tables
        with pytest.raises(DatastoreError) as info:
            uow.orgs.get("o")
    assert isinstance(info.value, UnavailableError)  # HTTP 503, not a user error
    assert isinstance(info.value.__cause__, sa.exc.SQLAlchemyError)
