"""The REST API over in-memory adapters, with real artifacts built from flow files."""

from __future__ import annotations

import importlib
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dagy.adapters.compute.artifact_loader import ArtifactFlowLoader
from dagy.adapters.compute.threads import ThreadPoolTaskRunner
from dagy.adapters.memory.artifacts import InMemoryArtifactStore
from dagy.application.bus import MessageBus
from dagy.application.consumer import consume_batch
from dagy.application.deps import Deps
from dagy.application.use_cases.accounts import bootstrap
from dagy.application.use_cases.outbox import relay_outbox
from dagy.artifacts import build_artifact
from dagy.entrypoints.api import create_app
from dagy.entrypoints.wiring import build_deps

NUMBERS_FLOW = """\
from dagy import flow, task

@task
def make(n: int) -> list:
    print("making", n)
    return list(range(n))

@task
def total(xs: list) -> int:
    return sum(xs)

@flow(name="{flow_name}", version="{version}")
def numbers(n: int):
    return total(make(n))
"""

FLAKY_FLOW = """\
from pathlib import Path
from dagy import flow, task

STATE = Path(r"{state_dir}")

@task
def first() -> int:
    with open(STATE / "first.count", "a") as fh:
        fh.write("x")
    return 1

@task
def second(x: int) -> int:
    flag = STATE / "failed-once"
    if not flag.exists():
        flag.write_text("yes")
        raise RuntimeError("second fails the first time")
    return x + 1

@flow(name="{flow_name}", version="1.0.0")
def flaky():
    return second(first())
"""


def make_deps(tmp_path: Path) -> Deps:
    artifacts = InMemoryArtifactStore()
    return build_deps(artifacts=artifacts,
                      flow_loader=ArtifactFlowLoader(artifacts, tmp_path / "artifact-cache"),
                      task_runner_factory=lambda: ThreadPoolTaskRunner(4), poll_probe=None)


def assert_error(response, status: int | None = None, code: str | None = None) -> dict:
    """The one error shape; `status`/`code` when given; never a 5xx."""
    assert response.status_code < 500, response.text
    assert 400 <= response.status_code, response.text
    if status is not None:
        assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert isinstance(body["error"]["code"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


class ApiHarness:
    """A TestClient on `create_app(deps)` plus helpers to deploy flows and run the queue."""

    NUMBERS_FLOW, FLAKY_FLOW = NUMBERS_FLOW, FLAKY_FLOW
    error = staticmethod(assert_error)

    def __init__(self, deps: Deps, client: TestClient, key: str, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.deps, self.client, self.key = deps, client, key
        self.tmp_path, self.monkeypatch = tmp_path, monkeypatch
        self.modules: list[str] = []

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def call(self, method: str, path: str, **kwargs: Any):
        headers = {**self.auth, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any):
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any):
        return self.call("POST", path, **kwargs)

    def load_flow(self, source: str, attribute: str):
        """Write `source` as a fresh module under tmp_path and return its flow object."""
        name = f"api_flows_{uuid.uuid4().hex[:10]}"
        folder = self.tmp_path / "flow_src"
        folder.mkdir(exist_ok=True)
        (folder / f"{name}.py").write_text(textwrap.dedent(source))
        self.monkeypatch.syspath_prepend(str(folder))
        importlib.invalidate_caches()
        self.modules.append(name)
        return getattr(importlib.import_module(name), attribute)

    def upload(self, flow_obj) -> tuple[Any, str]:
        artifact = build_artifact(flow_obj, output_dir=self.tmp_path / "dist")
        response = self.post("/artifacts", content=artifact.path.read_bytes(),
                             params={"flow_name": flow_obj.name},
                             headers={"Content-Type": "application/zip",
                                      "X-Dagy-Code-Hash": artifact.code_hash})
        assert response.status_code == 201, response.text
        return artifact, response.json()["artifact_uri"]

    def register_body(self, flow_obj, artifact, uri: str) -> dict[str, Any]:
        return {"flow_name": flow_obj.name, "flow_version": str(flow_obj.version),
                "flow_spec": artifact.read_spec().to_dict(), "artifact_uri": uri,
                "code_hash": artifact.code_hash, "namespace": "default", "tags": {},
                "default_executor": None}

    def deploy(self, source: str = NUMBERS_FLOW, attribute: str = "numbers",
               deployment: str = "numbers-prod", flow_name: str = "numbers",
               **fmt: str) -> dict[str, Any]:
        flow_obj = self.load_flow(source.format(flow_name=flow_name,
                                                **{"version": "1.0.0", **fmt}), attribute)
        artifact, uri = self.upload(flow_obj)
        registered = self.post("/flows", json=self.register_body(flow_obj, artifact, uri))
        assert registered.status_code in (200, 201), registered.text
        created = self.post("/deployments", json={
            "deployment_name": deployment, "flow_name": flow_obj.name,
            "flow_version": str(flow_obj.version)})
        assert created.status_code in (200, 201), created.text
        return {"flow": flow_obj, "artifact": artifact, "uri": uri, "deployment": deployment}

    def trigger(self, deployment: str = "numbers-prod", **body: Any) -> dict[str, Any]:
        response = self.post("/runs", json={"deployment_name": deployment, **body})
        assert response.status_code == 202, response.text
        return response.json()

    def drain(self, rounds: int = 20) -> None:
        """Relay the outbox and consume the queue until both are empty."""
        bus = MessageBus(self.deps)
        for _ in range(rounds):
            relayed = relay_outbox(self.deps)
            consumed = consume_batch(bus, max_messages=10, visibility_timeout=60)
            if not relayed and not consumed:
                return
        raise AssertionError("queue did not drain")

    def pending_outbox(self) -> int:
        with self.deps.uow() as uow:
            return len(uow.outbox.pending(100))


@pytest.fixture
def deps(tmp_path) -> Deps:
    return make_deps(tmp_path)


@pytest.fixture
def api_for(tmp_path, monkeypatch):
    """Build an ApiHarness (org "acme" bootstrapped) over any Deps; cleaned up after the test."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    harnesses: list[ApiHarness] = []

    def _api_for(deps: Deps) -> ApiHarness:
        _, key = bootstrap(deps, "acme")
        client = TestClient(create_app(deps), raise_server_exceptions=False)
        client.__enter__()
        harnesses.append(ApiHarness(deps, client, key, tmp_path, monkeypatch))
        return harnesses[-1]

    yield _api_for
    for harness in harnesses:
        harness.client.__exit__(None, None, None)
        for name in harness.modules:
            sys.modules.pop(name, None)


@pytest.fixture
def api(deps, api_for) -> ApiHarness:
    return api_for(deps)
