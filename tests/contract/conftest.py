"""Fixtures running one repository contract against every datastore adapter.

PostgreSQL runs only when DAGY_TEST_POSTGRES_URL is set (locally:
postgresql+psycopg://postgres@127.0.0.1:5432/test); each test then gets its own schema,
migrated with `upgrade()` and dropped afterwards. SQLite uses a migrated file in tmp_path.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Callable, Iterator

import pytest
import sqlalchemy as sa

POSTGRES_URL_ENV = "DAGY_TEST_POSTGRES_URL"
BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
SQL_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def postgres_url() -> str:
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set (e.g. "
                    "postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    return url


@contextmanager
def postgres_schema_engine(url: str) -> Iterator[sa.Engine]:
    """An engine whose search_path is a fresh schema, dropped (CASCADE) on exit."""
    from dagy.adapters.sql.engine import make_engine
    schema, admin = f"t_{uuid.uuid4().hex}", make_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def empty_database(backend: str, tmp_path) -> Iterator[sa.Engine]:
    """An unmigrated database: a SQLite file in tmp_path, or a fresh PostgreSQL schema."""
    from dagy.adapters.sql.engine import make_engine
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'dagy.db'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    with postgres_schema_engine(postgres_url()) as engine:
        yield engine


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
