"""The plaintext test on PostgreSQL: a real `dagy server` on a fresh schema, a secret set
through the CLI, a second API key created, a deployed flow that reads the secret and
prints it; then every row of every table of that schema (each value cast to text) and the
server's stdout and stderr hold neither the secret's value nor any plaintext API key,
while the same dump does show what is stored in clear (the secret's name, the masked log
line), so the scan is known to see the rows."""

from __future__ import annotations

import json
import uuid
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa

from backend_deps import postgres_server_env
from dagy.adapters.sql.engine import make_engine
from dagy_server import Server, dagy, free_port, ok
from test_secrets_e2e import FLOWS, _api_key, _last_run, _set

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.usefixtures("no_proxy")]


def schema_text(url: str, schema: str) -> str:
    """Every row of every table of `schema`, each column cast to text, one row a line."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = conn.execute(sa.text(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = :s "
                "AND table_type = 'BASE TABLE' ORDER BY table_name"), {"s": schema}).scalars()
            lines = []
            for table in list(tables):
                columns = conn.execute(sa.text(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = :s"
                    " AND table_name = :t ORDER BY ordinal_position"),
                    {"s": schema, "t": table}).scalars().all()
                cast = ", ".join(f'CAST("{c}" AS text)' for c in columns)
                rows = conn.execute(sa.text(f'SELECT {cast} FROM "{schema}"."{table}"'))
                lines += [f"{table}: {tuple(row)!r}" for row in rows]
        assert any(line.startswith("secrets: ") for line in lines), "no secret stored"
        assert any(line.startswith("api_keys: ") for line in lines), "no API key stored"
        return "\n".join(lines)
    finally:
        engine.dispose()


def leaks(needles: list[str], haystacks: dict[str, str]) -> list[str]:
    return [f"{needle[:8]}... in {where}" for needle in needles
            for where, text in haystacks.items() if needle in text]


def test_no_plaintext_secret_or_api_key_in_any_postgres_row_or_the_logs(tmp_path: Path):
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "secret_flows.py").write_text(FLOWS)
    value = f"plaintext-{uuid.uuid4().hex}"
    with ExitStack() as stack:
        env, schema = postgres_server_env(stack)
        server = Server(tmp_path, free_port(), **env)
        stack.callback(server.close)
        outputs = [_set(tmp_path, "API_TOKEN", value)]
        assert outputs[-1].strip() == "secret API_TOKEN (org-wide) set"
        created = ok(dagy(tmp_path, "api-keys", "create", "ci", "--role", "viewer"))
        second_key = created.strip()
        assert second_key and " " not in second_key, created
        outputs.append(ok(dagy(tmp_path, "deploy", "secret_flows.py:secretive",
                               "--deployment", "secretive")))
        result = ok(dagy(tmp_path, "run", "secretive", "--wait", "--timeout", "60"))
        assert result.strip() == str(len(value))
        logs = ok(dagy(tmp_path, "runs", "logs", _last_run(tmp_path)))
        assert "the secret is ***" in logs, logs
        outputs += [result, logs]
        runs = json.loads(ok(dagy(tmp_path, "runs", "list", "--json")))
        assert runs[0]["status"] == "SUCCEEDED", runs

        rows = schema_text(env["DAGY_DATABASE_URL"], schema)
        keys = [_api_key(tmp_path), second_key]
        server.stop()
        haystacks = {"database rows": rows, "server stdout": server.out.read_text(),
                     "server stderr": server.err.read_text(),
                     **{f"CLI output {i}": text for i, text in enumerate(outputs)}}
        assert not leaks([value, *keys], haystacks)
        # the dump does hold what is stored in clear: the name, the masked log line
        assert "API_TOKEN" in rows and "the secret is ***" in rows
