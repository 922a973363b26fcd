"""Secrets against a real `dagy server`: set through the CLI (value on standard input), a
deployed flow reads it with get_secret and prints it, the run's logs show *** instead;
then the plaintext test: every row of every table of the SQLite database, its raw file
bytes and WAL, the server's stdout and stderr, and the CLI's output hold neither the
secret's value nor the plaintext API key. And key rotation with `dagy secrets
rotate-key`: stopped after one batch, resumed, repeated (nothing left), after which a
server holding only the new key still runs the flow with the right value."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import tomllib
import uuid
from pathlib import Path

import pytest

from dagy_server import Server, dagy, free_port, ok, one_line_error, server_env

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

FLOWS = textwrap.dedent('''
    import sys

    from dagy import flow, get_secret, get_run_logger, task

    @task
    def reveal(name: str) -> int:
        value = get_secret(name)
        print("the secret is", value)
        print("on stderr:", value, file=sys.stderr)
        get_run_logger().warning("logged: %s", value)
        return len(value)

    @flow(name="secretive")
    def secretive(name: str = "API_TOKEN"):
        return reveal(name)
''')


def _set(workdir: Path, name: str, value: str, *args: str, **env: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "dagy.entrypoints.cli.main", "secrets", "set",
                           name, *args], cwd=workdir, env=server_env(workdir, **env),
                          input=value + "\n", capture_output=True, text=True, timeout=60)
    return ok(proc)


def _api_key(workdir: Path) -> str:
    profiles = tomllib.loads((workdir / "home" / "profiles.toml").read_text())
    return profiles["local"]["api_key"]


def _database_text(path: Path) -> str:
    """Every row of every table, as text (read while the server may still run)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert "secrets" in tables and "api_keys" in tables and "task_runs" in tables
        rows = [repr(row) for table in tables
                for row in conn.execute(f'SELECT * FROM "{table}"')]
        return "\n".join(rows) + "\n".join(conn.iterdump())
    finally:
        conn.close()


def _raw_bytes(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(home.glob("dagy.db*")) if p.is_file())


def _leaks(needles: list[str], home: Path, texts: list[str]) -> list[str]:
    found = []
    haystacks = {"database rows": _database_text(home / "dagy.db"), **{
        f"text {i}": t for i, t in enumerate(texts)}}
    raw = _raw_bytes(home)
    for needle in needles:
        for where, text in haystacks.items():
            if needle in text:
                found.append(f"{needle[:6]}... in {where}")
        for encoded in (needle.encode("utf-8"), needle.encode("utf-16-le")):
            if encoded in raw:
                found.append(f"{needle[:6]}... in the raw database/WAL bytes")
    return found


def _last_run(workdir: Path) -> str:
    runs = json.loads(ok(dagy(workdir, "runs", "list", "--json")))
    return runs[0]["run_id"]


def test_a_run_reads_a_secret_its_logs_mask_it_and_no_plaintext_is_stored(tmp_path: Path):
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "secret_flows.py").write_text(FLOWS)
    value = f"plaintext-{uuid.uuid4().hex}"
    server = Server(tmp_path, free_port())
    outputs: list[str] = []
    try:
        keys_file = tmp_path / "home" / "secrets.keys"
        assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
        outputs.append(_set(tmp_path, "API_TOKEN", value))
        assert outputs[-1].strip() == "secret API_TOKEN (org-wide) set"
        listed = ok(dagy(tmp_path, "secrets", "list", "--json"))
        assert [(s["name"], s["environment"]) for s in json.loads(listed)] == [
            ("API_TOKEN", None)]
        outputs.append(listed)
        outputs.append(ok(dagy(tmp_path, "deploy", "secret_flows.py:secretive",
                               "--deployment", "secretive")))
        result = ok(dagy(tmp_path, "run", "secretive", "--wait", "--timeout", "60"))
        assert result.strip() == str(len(value))
        logs = ok(dagy(tmp_path, "runs", "logs", _last_run(tmp_path)))
        assert "the secret is ***" in logs and "logged: ***" in logs, logs
        outputs += [result, logs]
        one_line_error(dagy(tmp_path, "secrets", "set", "bad-name", "--value", "x"), 2,
                       "secret_name", "422")
        one_line_error(dagy(tmp_path, "secrets", "delete", "NOPE"), 2, "not found")

        api_key = _api_key(tmp_path)
        assert api_key and api_key not in value
        server_logs = [server.out.read_text(), server.err.read_text()]
        problems = _leaks([value, api_key], tmp_path / "home", outputs + server_logs)
        assert not problems, problems
        # the scan does see what is stored: the secret's name, and the run's logs ("***")
        assert _leaks(["API_TOKEN", "the secret is ***"], tmp_path / "home", [])
    finally:
        server.stop()
        server.close()
    server_logs = [server.out.read_text(), server.err.read_text()]
    assert not _leaks([value, _api_key(tmp_path)], tmp_path / "home", server_logs)


def _key_ids(home: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{home / 'dagy.db'}?mode=ro", uri=True, timeout=10)
    try:
        return {row[0] for row in conn.execute("SELECT key_id FROM secrets")}
    finally:
        conn.close()


def test_rotate_key_in_batches_resumes_and_leaves_only_the_new_key_needed(tmp_path: Path):
    from dagy.adapters.crypto.fernet_keyring import generate_fernet_key

    (tmp_path / "fake_home").mkdir()
    (tmp_path / "secret_flows.py").write_text(FLOWS)
    values = {f"S{i}": f"value-{i}-{uuid.uuid4().hex[:8]}" for i in range(5)}
    server = Server(tmp_path, free_port())
    try:
        for name, value in values.items():
            _set(tmp_path, name, value, *(["--env", "staging"] if name == "S4" else []))
        ok(dagy(tmp_path, "deploy", "secret_flows.py:secretive", "--deployment", "secretive"))
    finally:
        server.stop()
        server.close()
    home = tmp_path / "home"
    old_key = (home / "secrets.keys").read_text().strip()
    new_key = generate_fernet_key()
    both = {"DAGY_SECRET_KEYS": f"{new_key},{old_key}"}
    assert len(_key_ids(home)) == 1

    first = ok(dagy(tmp_path, "secrets", "rotate-key", "--batch-size", "2",
                    "--max-batches", "1", **both))
    assert "2 re-encrypted" in first and "stopped" in first, first
    assert len(_key_ids(home)) == 2  # half done: old and new keys side by side
    second = ok(dagy(tmp_path, "secrets", "rotate-key", "--batch-size", "2", **both))
    assert "3 re-encrypted" in second and "done" in second, second
    third = ok(dagy(tmp_path, "secrets", "rotate-key", **both))
    assert "0 re-encrypted" in third and "in 0 batch(es): done" in third, third
    [only] = _key_ids(home)

    with_old_only = dagy(tmp_path, "secrets", "rotate-key", DAGY_SECRET_KEYS=old_key)
    assert with_old_only.returncode == 1 and "5 unreadable" in with_old_only.stdout

    (home / "secrets.keys").unlink()  # nothing but DAGY_SECRET_KEYS=new can decrypt now
    server = Server(tmp_path, free_port(), DAGY_SECRET_KEYS=new_key)
    try:
        result = ok(dagy(tmp_path, "run", "secretive", "--param", "name=S3", "--wait",
                         "--timeout", "60"))
        assert result.strip() == str(len(values["S3"]))
        logs = ok(dagy(tmp_path, "runs", "logs", _last_run(tmp_path)))
        assert "the secret is ***" in logs and values["S3"] not in logs
    finally:
        server.stop()
        server.close()
    assert only == _key_ids(home).pop()
    assert not os.environ.get("DAGY_SECRET_KEYS")
