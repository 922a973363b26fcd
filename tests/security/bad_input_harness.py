"""The API on a real SQL datastore (SQLite file or a fresh PostgreSQL schema), seeded with
one of everything a mutating endpoint can act on, plus a snapshot of every table.

Shared by the bad-input tests: they send hostile requests and compare snapshots, so a
request that answers 4xx but wrote something anyway is caught.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from dagy.application.bus import MessageBus
from dagy.application.consumer import consume_batch
from dagy.application.use_cases.accounts import bootstrap
from dagy.application.use_cases.outbox import relay_outbox
from dagy.application.use_cases.passwords import set_initial_password
from dagy.artifacts import build_artifact
from dagy.entrypoints.api import create_app
from dagy.entrypoints.container import build_container
from dagy.entrypoints.settings import DagySettings
from fresh_databases import fresh_postgres_schema, postgres_url, search_path_url

SQL_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

FLOW = """\
from dagy import flow, task

@task
def echo(x: float, y=None):
    return [x, y]

@flow(name="{flow_name}", version="1.0.0")
def matrix_flow(x: float = 1.0, y=None):
    return echo(x, y)
"""


class Seeded:
    """A TestClient on the app plus the ids of the seeded resources."""

    def __init__(self, client: TestClient, key: str, engine: sa.Engine, deps: Any) -> None:
        self.client, self.key, self.engine, self.deps = client, key, engine, deps
        self.app, self.org_id = client.app, ""
        self.ids: dict[str, str] = {}
        self.register_body: dict[str, Any] = {}

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def call(self, method: str, path: str, **kwargs: Any):
        headers = {**self.auth, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.call(method, path, **kwargs)
        assert response.status_code < 300, (method, path, response.text)
        return response.json() if response.content else None

    def drain(self, rounds: int = 30) -> None:
        bus = MessageBus(self.deps)
        for _ in range(rounds):
            if not relay_outbox(self.deps) and not consume_batch(bus, 10, 60):
                return
        raise AssertionError("queue did not drain")

    def snapshot(self) -> dict[str, list[tuple]]:
        """Every row of every table, in a stable order. Authentication's own bookkeeping
        (a key's `last_used_at`, written at most once a minute) is not the request's
        write, rate-limit buckets count refused requests too, and the access log records
        every request, refused ones included: all three are left out."""
        tables = sa.inspect(self.engine).get_table_names()
        with self.engine.connect() as conn:
            return {name: sorted((tuple(repr(v) for k, v in row._mapping.items()
                                        if (name, k) not in BOOKKEEPING) for row in
                                  conn.execute(sa.text(f'SELECT * FROM "{name}"'))))
                    for name in sorted(tables) if name not in UNCOMPARED}


UNCOMPARED = ("rate_limit_buckets", "access_logs")
BOOKKEEPING = {("api_keys", "last_used_at"), ("api_keys", "secret_hash"),
               ("api_keys", "hash_scheme")}


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return [f"{name}: {len(before.get(name, []))} -> {len(after.get(name, []))} rows"
            + ("" if len(before.get(name, [])) != len(after.get(name, [])) else " (changed)")
            for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]


def _import_flow(folder: Path, flow_name: str) -> Any:
    module = f"bad_input_flow_{uuid.uuid4().hex[:10]}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{module}.py").write_text(textwrap.dedent(FLOW.format(flow_name=flow_name)))
    sys.path.insert(0, str(folder))
    try:
        importlib.invalidate_caches()
        return importlib.import_module(module).matrix_flow
    finally:
        sys.path.remove(str(folder))


def seed(api: Seeded, tmp_path: Path) -> None:
    """A flow, deployment `dep`, a cron schedule, webhook / polling / s3 sensors and a
    finished run with task runs: every mutating endpoint has something to act on."""
    flow_obj = _import_flow(tmp_path / "flow_src", "matrix")
    artifact = build_artifact(flow_obj, output_dir=tmp_path / "dist")
    uploaded = api.ok("POST", "/artifacts", content=artifact.path.read_bytes(),
                      params={"flow_name": flow_obj.name},
                      headers={"Content-Type": "application/zip",
                               "X-Dagy-Code-Hash": artifact.code_hash})
    api.register_body = {"flow_name": flow_obj.name, "flow_version": "1.0.0",
                         "flow_spec": artifact.read_spec().to_dict(),
                         "artifact_uri": uploaded["artifact_uri"],
                         "code_hash": artifact.code_hash, "namespace": "default", "tags": {}}
    api.ok("POST", "/flows", json=api.register_body)
    api.ok("POST", "/deployments", json={"deployment_name": "dep", "flow_name": flow_obj.name,
                                          "parameters": {"x": 2.5}})
    api.ids["deployment_name"] = "dep"
    api.ids["env_name"] = api.ok("POST", "/environments", json={
        "env_name": "matrix-env", "config_json": {"a": 1}})["env_name"]
    api.ids["flow_name"] = flow_obj.name
    api.ids["schedule_id"] = api.ok("POST", "/schedules", json={
        "deployment_name": "dep", "mode": "cron", "cron_expression": "0 3 * * *",
        "parameters": {"y": [1, 2]}})["schedule_id"]
    hook = api.ok("POST", "/sensors", json={
        "name": "hook", "sensor_type": "webhook", "deployment_name": "dep",
        "flow_params": {"x": 1.5}, "config": {"parameter_mapping": {"y": "$.a"}}})
    api.ids["sensor_id"], api.ids["token"] = hook["sensor_id"], hook["webhook_token"]
    api.ids["polling_sensor_id"] = api.ok("POST", "/sensors", json={
        "name": "poll", "sensor_type": "polling", "deployment_name": "dep", "enabled": False,
        "config": {"kind": "http", "url": "http://127.0.0.1:9/status"}})["sensor_id"]
    run = api.ok("POST", "/runs", json={"deployment_name": "dep", "parameters": {"y": "seed"}})
    api.drain()
    api.ids["run_id"] = run["run_id"]
    api.ids["org_id"], api.ids["user_id"] = api.org_id, api.ok("GET", "/me")["user_id"]
    api.ids["secret_name"] = api.ok("PUT", "/secrets/SEEDED_SECRET", json={
        "value": "seeded secret value", "environment": "staging"})["name"]
    api.ids["invitation_id"] = api.ok("POST", f"/orgs/{api.org_id}/invitations", json={
        "email": "seeded@example.com", "role": "viewer"})["invitation_id"]
    done = api.ok("GET", f"/runs/{run['run_id']}")
    assert done["status"] == "SUCCEEDED", done


def _fernet_key() -> str:
    from dagy.adapters.crypto.fernet_keyring import generate_fernet_key
    return generate_fernet_key()


def _secret_key() -> str | None:
    """A fresh key for a shared database (a datastore without encryption needs none)."""
    try:
        from dagy.adapters.crypto.aes_gcm import generate_key_text
    except ImportError:
        return None
    return generate_key_text()


@contextmanager
def seeded_api(backend: str, tmp_path: Path) -> Iterator[Seeded]:
    """The seeded API on `backend` ("sqlite" or "postgres", a schema of its own)."""
    with ExitStack() as stack:
        settings = DagySettings(home=tmp_path / "home")
        if backend == "postgres":
            base = postgres_url()
            url = search_path_url(base, stack.enter_context(fresh_postgres_schema(base)))
            settings = DagySettings(home=tmp_path / "home", database_url=url,
                                    secret_key=_secret_key(), secret_keys=_fernet_key(),
                                    api_key_pepper="bad-input-harness-pepper-0123456789abcdef")
        container = build_container(settings)
        stack.callback(container.close)
        org, key = bootstrap(container.deps, "acme")
        set_initial_password(container.deps, "admin@localhost", "matrix password")  # login
        app = create_app(container.deps)
        with TestClient(app, raise_server_exceptions=False) as client:
            api = Seeded(client, key, container.database.engine, container.deps)
            api.app, api.org_id = app, org.org_id
            seed(api, tmp_path)
            yield api
