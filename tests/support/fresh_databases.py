"""Fresh, isolated databases for tests: a SQLite file, or a PostgreSQL schema of its own.

Every suite that needs PostgreSQL gives each test a new schema (dropped CASCADE
afterwards) on the server at DAGY_TEST_POSTGRES_URL, so tests never see each other's
rows and can run in parallel against one database.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest
import sqlalchemy as sa

from dagy.adapters.sql.engine import make_engine

POSTGRES_URL_ENV = "DAGY_TEST_POSTGRES_URL"


def postgres_url() -> str:
    """The test server's URL; the test is skipped when none is configured."""
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set (e.g. "
                    "postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    return url


@contextmanager
def fresh_postgres_schema(url: str) -> Iterator[str]:
    """The name of a new, empty schema on `url`, dropped (CASCADE) on exit."""
    schema, admin = f"t_{uuid.uuid4().hex}", make_engine(url)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield schema
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


def search_path_url(url: str, schema: str) -> str:
    """`url` with `schema` as its search_path, for code that only takes a URL."""
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


@contextmanager
def postgres_schema_engine(url: str) -> Iterator[sa.Engine]:
    """An engine whose search_path is a fresh schema, dropped (CASCADE) on exit."""
    with fresh_postgres_schema(url) as schema:
        engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def empty_database(backend: str, tmp_path) -> Iterator[sa.Engine]:
    """An unmigrated database: a SQLite file in tmp_path, or a fresh PostgreSQL schema."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'dagy.db'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    with postgres_schema_engine(postgres_url()) as engine:
        yield engine
