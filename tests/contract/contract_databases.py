"""Fresh databases for the contract tests: a SQLite file, or a PostgreSQL schema of its own.

A module of its own (not conftest.py) so that test modules can import these helpers by a
name no other directory's conftest shadows.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest
import sqlalchemy as sa

POSTGRES_URL_ENV = "DAGY_TEST_POSTGRES_URL"


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
