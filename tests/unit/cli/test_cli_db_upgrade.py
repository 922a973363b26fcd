"""`dagy db upgrade` on SQLite and PostgreSQL: a fresh database gets its tables, a second
run changes nothing, a bad URL is one line on stderr and a non-zero exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy as sa

from dagy.adapters.crypto.aes_gcm import generate_key_text
from dagy.entrypoints.cli.db import redacted
from fresh_databases import fresh_postgres_schema, postgres_url, search_path_url

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextmanager
def fresh_database(backend: str, tmp_path: Path) -> Iterator[tuple[str, sa.Engine]]:
    """(URL for DAGY_DATABASE_URL, an engine to inspect it): a new SQLite file, or a new
    PostgreSQL schema (search_path in the URL) dropped afterwards."""
    with ExitStack() as stack:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / 'upgrade.db'}"
        else:
            base = postgres_url()
            url = search_path_url(base, stack.enter_context(fresh_postgres_schema(base)))
        engine = sa.create_engine(url)
        stack.callback(engine.dispose)
        yield url, engine


def dagy_db_upgrade(home: Path, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DAGY_HOME": str(home), "DAGY_DATABASE_URL": url,
           "DAGY_SECRET_KEY": generate_key_text(),
           "DAGY_API_KEY_PEPPER": "db-upgrade-test-pepper-0123456789abcdef"}
    return subprocess.run([sys.executable, "-m", "dagy.entrypoints.cli.main", "db", "upgrade"],
                          capture_output=True, text=True, env=env, timeout=120)


def schema_of(engine: sa.Engine) -> dict:
    inspector = sa.inspect(engine)
    with engine.connect() as conn:
        revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    return {"revision": revision,
            "tables": {name: sorted(c["name"] for c in inspector.get_columns(name))
                       for name in inspector.get_table_names()},
            "indexes": {name: sorted(i["name"] for i in inspector.get_indexes(name))
                        for name in inspector.get_table_names()}}


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_creates_the_tables_once_and_then_changes_nothing(backend, tmp_path) -> None:
    with fresh_database(backend, tmp_path) as (url, engine):
        assert sa.inspect(engine).get_table_names() == []
        first = dagy_db_upgrade(tmp_path / "home", url)
        assert first.returncode == 0, first.stderr
        assert "upgraded from revision none to" in first.stdout
        created = schema_of(engine)
        assert {"runs", "task_runs", "flows", "deployments", "schedules",
                "sensors", "alembic_version"} <= set(created["tables"])

        second = dagy_db_upgrade(tmp_path / "home", url)
        assert second.returncode == 0, second.stderr
        assert f"already at revision {created['revision']}" in second.stdout
        assert schema_of(engine) == created


@pytest.mark.parametrize("url", ["nonsense", "postgresql+psycopg://dagy:hunter2@127.0.0.1:1/x",
                                 "mysql://nobody@127.0.0.1:1/no-driver"])
def test_a_bad_url_is_one_line_and_a_non_zero_exit(url, tmp_path) -> None:
    result = dagy_db_upgrade(tmp_path / "home", url)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot upgrade "), result.stderr
    assert "hunter2" not in result.stderr and result.stdout == ""


def test_printed_urls_hide_the_password() -> None:
    assert redacted("postgresql://u:p%40ss@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert redacted("postgresql://u@h/db") == "postgresql://u@h/db"
    assert redacted("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
