"""Fixtures running one repository contract against every datastore adapter.

PostgreSQL runs only when DAGY_TEST_POSTGRES_URL is set (locally:
postgresql+psycopg://postgres@127.0.0.1:5432/test); each test then gets its own schema,
migrated with `upgrade()` and dropped afterwards. SQLite uses a migrated file in tmp_path.
"""

from __future__ import annotations

from typing import Callable, Iterator

import pytest
import sqlalchemy as sa

from contract_databases import empty_database

BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
SQL_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=SQL_BACKENDS)
def sql_engine(request, tmp_path) -> Iterator[sa.Engine]:
    with empty_database(request.param, tmp_path) as engine:
        yield engine


class UowFactory:
    """Calling it opens a new unit of work on the same datastore."""

    def __init__(self, backend: str, make: Callable[[], object]) -> None:
        self.backend, self._make = backend, make

    def __call__(self):
        return self._make()


@pytest.fixture(params=BACKENDS)
def uow_factory(request, tmp_path) -> Iterator[UowFactory]:
    if request.param == "memory":
        from dagy.adapters.memory.repositories import InMemoryStore, InMemoryUnitOfWork
        store = InMemoryStore()
        yield UowFactory("memory", lambda: InMemoryUnitOfWork(store))
        return
    from dagy.adapters.sql.migrate import upgrade
    from dagy.adapters.sql.uow import SqlUnitOfWork
    with empty_database(request.param, tmp_path) as engine:
        upgrade(engine)
        yield UowFactory(request.param, lambda: SqlUnitOfWork(engine))
