"""The API over a real datastore (SQLite file or a PostgreSQL schema), a local artifact
directory and an on-disk extraction cache, for the artifact security tests.

`restart()` builds a new app, new Deps and a new flow loader over the same database,
artifact directory and cache directory: what a server restart keeps and what it forgets.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from dagy.adapters.compute.artifact_loader import ArtifactFlowLoader
from dagy.adapters.compute.threads import ThreadPoolTaskRunner
from dagy.adapters.local.artifacts import LocalArtifactStore
from dagy.adapters.sql.migrate import upgrade
from dagy.adapters.sql.uow import SqlUnitOfWork
from dagy.application.bus import MessageBus
from dagy.application.consumer import consume_batch
from dagy.application.deps import Deps
from dagy.application.use_cases.accounts import bootstrap
from dagy.application.use_cases.outbox import relay_outbox
from dagy.artifacts import build_artifact
from dagy.domain.artifact_limits import ArtifactLimits
from dagy.domain.flowspec import FlowSpec
from dagy.entrypoints.api import create_app
from dagy.entrypoints.wiring import build_deps
from fresh_databases import empty_database
from greeter_flow import GREETER

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
PEPPER = b"artifact-harness-pepper-0123456789abcdef"

@contextmanager
def database(backend: str, tmp_path: Path) -> Iterator[sa.Engine]:
    """A migrated SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    with empty_database(backend, tmp_path) as engine:
        upgrade(engine)
        yield engine


def build_zip(tmp_path: Path, source: str, module: str = "public_greeter",
              attribute: str = "greeter") -> tuple[bytes, str]:
    """(ZIP bytes, code hash) of `source` built as module `module`, as `dagy build` does;
    the same module name can be built twice with different code."""
    folder = tmp_path / f"src-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    (folder / f"{module}.py").write_text(textwrap.dedent(source))
    sys.path.insert(0, str(folder))
    sys.modules.pop(module, None)
    importlib.invalidate_caches()
    try:
        flow_obj = getattr(importlib.import_module(module), attribute)
        artifact = build_artifact(flow_obj, output_dir=tmp_path / f"dist-{uuid.uuid4().hex[:8]}")
        return artifact.path.read_bytes(), artifact.code_hash
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(module, None)


class Stack:
    """One "server": app + Deps over a database, artifact and cache directories."""

    def __init__(self, engine: sa.Engine, home: Path,
                 limits: ArtifactLimits | None = None) -> None:
        self.engine, self.home, self.limits = engine, home, limits or ArtifactLimits()
        self.client: TestClient | None = None
        self.keys: dict[str, str] = {}
        self.org_ids: dict[str, str] = {}
        self.restart()

    def restart(self) -> None:
        self.close()
        store = LocalArtifactStore(self.home / "artifacts")
        self.deps = build_deps(uow=lambda: SqlUnitOfWork(self.engine), artifacts=store,
                               flow_loader=ArtifactFlowLoader(store, self.home / "cache",
                                                              limits=self.limits),
                               task_runner_factory=lambda: ThreadPoolTaskRunner(2),
                               artifact_limits=self.limits, poll_probe=None,
                               api_key_pepper=PEPPER)  # a restart keeps the server's pepper
        self.client = TestClient(create_app(self.deps), raise_server_exceptions=False)
        self.client.__enter__()

    def close(self) -> None:
        if self.client is not None:
            self.client.__exit__(None, None, None)
            self.client = None

    def org(self, name: str) -> str:
        """Bootstrap an organization (the account bootstrap) and remember its key."""
        org, key = bootstrap(self.deps, name)
        self.keys[name], self.org_ids[name] = key, org.org_id
        return org.org_id

    def call(self, org: str, method: str, path: str, **kwargs: Any):
        headers = {"Authorization": f"Bearer {self.keys[org]}", **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def upload(self, org: str, data: bytes, flow_name: str = "greeter", **headers: str):
        return self.call(org, "POST", "/artifacts", content=data, params={"flow_name": flow_name},
                         headers={"Content-Type": "application/zip", **headers})

    def register(self, org: str, uri: str, flow_name: str = "greeter", **fields: Any):
        return self.call(org, "POST", "/flows", json={
            "flow_name": flow_name, "flow_version": "1.0.0", "artifact_uri": uri, **fields})

    def deploy(self, org: str, data: bytes, flow_name: str = "greeter") -> str:
        uploaded = self.upload(org, data, flow_name)
        assert uploaded.status_code == 201, uploaded.text
        uri = uploaded.json()["artifact_uri"]
        registered = self.register(org, uri, flow_name)
        assert registered.status_code in (200, 201), registered.text
        created = self.call(org, "POST", "/deployments", json={
            "deployment_name": flow_name, "flow_name": flow_name, "flow_version": "1.0.0"})
        assert created.status_code in (200, 201), created.text
        return uri

    def plant(self, org: str, data: bytes, code_hash: str, flow_name: str = "greeter") -> str:
        """Store a ZIP and register it without any check (as a datastore written before
        the checks existed would hold it), plus its deployment; returns the artifact URI."""
        import hashlib
        import json as _json
        from datetime import datetime, timezone

        import io
        import zipfile

        from dagy.domain.catalog import FlowRecord

        key = f"{self.org_ids[org]}/{flow_name}/{hashlib.sha256(data).hexdigest()}.zip"
        uri = self.deps.artifacts.put(key, data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            spec = _json.loads(archive.read("flow_spec.json"))
        now = datetime.now(timezone.utc)
        with self.deps.uow() as uow:
            uow.flows.add(FlowRecord(self.org_ids[org], flow_name, "1.0.0",
                                     FlowSpec.from_dict(spec), uri, code_hash,
                                     created_at=now, updated_at=now))
            uow.commit()
        created = self.call(org, "POST", "/deployments", json={
            "deployment_name": flow_name, "flow_name": flow_name, "flow_version": "1.0.0"})
        assert created.status_code in (200, 201), created.text
        return uri

    def run(self, org: str, flow_name: str = "greeter", **parameters: Any) -> dict[str, Any]:
        """Trigger a run, drain the queue, and return the finished run."""
        triggered = self.call(org, "POST", "/runs", json={"deployment_name": flow_name,
                                                          "parameters": parameters})
        assert triggered.status_code == 202, triggered.text
        bus = MessageBus(self.deps)
        for _ in range(20):
            if not relay_outbox(self.deps) and not consume_batch(bus, max_messages=10,
                                                                 visibility_timeout=60):
                break
        return self.call(org, "GET", f"/runs/{triggered.json()['run_id']}").json()


def error_of(response, status: int) -> dict[str, Any]:
    """The one error shape with this status."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    return body["error"]
