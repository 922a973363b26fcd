"""Presigned artifact uploads end to end, over real HTTP on loopback.

S3 is moto's server (ThreadedMotoServer on 127.0.0.1, fake credentials: nothing can
reach AWS); the API is create_app(deps) under uvicorn; the SDK's DagyClient uploads a
built artifact through the presigned URL, and the flow is registered and run from S3.
A local store has no upload URLs: the same client call falls back to the ZIP body.
"""

from __future__ import annotations

import dataclasses
import hashlib
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from typing import Iterator

import boto3
import pytest
import uvicorn
from botocore.config import Config
from moto.server import ThreadedMotoServer

from dagy.adapters.aws.s3_artifacts import S3ArtifactStore
from dagy.adapters.compute.artifact_loader import ArtifactFlowLoader
from dagy.adapters.local.artifacts import LocalArtifactStore
from dagy.artifacts import build_artifact
from dagy.client import DagyClient
from dagy.entrypoints.api import create_app
from dagy.entrypoints.api.errors import JSON_BODY_LIMIT

WAIT_SECONDS = 10


def _bounded(action, what: str) -> None:
    """Run `action` in a thread and fail (not hang) if it takes over WAIT_SECONDS."""
    thread = threading.Thread(target=action, daemon=True)
    thread.start()
    thread.join(WAIT_SECONDS)
    assert not thread.is_alive(), f"{what} took more than {WAIT_SECONDS}s"


@pytest.fixture
def fake_aws(monkeypatch, tmp_path):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
                        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
                        "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost"
                        }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "http_proxy",
                 "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def s3(fake_aws):
    """A boto3 S3 client on a moto server at 127.0.0.1:<free port>, with a fresh bucket."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    _bounded(server.start, "starting the moto server")
    host, port = server.get_host_and_port()
    client = boto3.client("s3", region_name="us-east-1", endpoint_url=f"http://{host}:{port}",
                          config=Config(signature_version="s3v4", connect_timeout=5,
                                        read_timeout=10, retries={"max_attempts": 1}))
    client.bucket = f"dagy-presign-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=client.bucket)
    try:
        yield client
    finally:
        _bounded(server.stop, "stopping the moto server")


@pytest.fixture
def s3_api(deps, s3, api_for, tmp_path):
    store = S3ArtifactStore(s3.bucket, client=s3)
    return api_for(dataclasses.replace(
        deps, artifacts=store, flow_loader=ArtifactFlowLoader(store, tmp_path / "s3-cache")))


@pytest.fixture
def local_api(deps, api_for, tmp_path):
    store = LocalArtifactStore(tmp_path / "artifacts")
    return api_for(dataclasses.replace(
        deps, artifacts=store, flow_loader=ArtifactFlowLoader(store, tmp_path / "file-cache")))


@contextmanager
def served(app) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT_SECONDS
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(WAIT_SECONDS)
        sock.close()
        assert not thread.is_alive(), "uvicorn did not stop"


class RecordingClient(DagyClient):
    """Notes each API call as (method, path, "json" | "zip" | None, status or None)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[tuple] = []

    def _request(self, method, path, **kwargs):
        kind = "json" if kwargs.get("body") is not None else "zip" if kwargs.get("data") else None
        try:
            result = super()._request(method, path, **kwargs)
        except Exception as exc:
            self.calls.append((method, path, kind, getattr(exc, "status", None)))
            raise
        self.calls.append((method, path, kind, None))
        return result


def _built(api, flow_name: str = "numbers"):
    flow_obj = api.load_flow(api.NUMBERS_FLOW.format(flow_name=flow_name, version="1.0.0"),
                             "numbers")
    return flow_obj, build_artifact(flow_obj, output_dir=api.tmp_path / "dist")


def test_sdk_uploads_through_a_presigned_url_then_registers_and_runs_from_s3(
        s3_api, s3, monkeypatch):
    puts: list[str] = []
    store = s3_api.deps.artifacts
    monkeypatch.setattr(store, "put", lambda key, data: puts.append(key))  # direct path: spy
    flow_obj, artifact = _built(s3_api)
    data = artifact.path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()

    with served(create_app(s3_api.deps)) as url:
        client = RecordingClient(api_url=url, api_key=s3_api.key, timeout=WAIT_SECONDS)
        uri = client.upload_artifact(artifact.path, artifact.code_hash, flow_obj.name,
                                     presign=True)

    assert client.calls == [("POST", "/artifacts", "json", None)]
    assert puts == []  # the bytes never went through the API
    assert uri.startswith(f"s3://{s3.bucket}/artifacts/") and uri.endswith(f"/numbers/{sha}.zip")
    stored = s3.get_object(Bucket=s3.bucket, Key=uri[len(f"s3://{s3.bucket}/"):])
    assert stored["Body"].read() == data
    assert stored["ContentType"] == "application/zip"

    registered = s3_api.post("/flows", json=s3_api.register_body(flow_obj, artifact, uri))
    assert registered.status_code == 201, registered.text
    assert registered.json()["artifact_uri"] == uri
    created = s3_api.post("/deployments", json={"deployment_name": "numbers-prod",
                                                "flow_name": "numbers", "flow_version": "1.0.0"})
    assert created.status_code in (200, 201), created.text
    run = s3_api.trigger(parameters={"n": 4})
    s3_api.drain()
    finished = s3_api.get(f"/runs/{run['run_id']}").json()
    assert (finished["status"], finished["result"]) == ("SUCCEEDED", 6), finished


def test_presign_answer_shape_and_bad_bodies_over_s3(s3_api, s3):
    sha = "ab" * 32
    response = s3_api.post("/artifacts", json={"flow_name": "numbers", "sha256": sha})
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"artifact_uri", "upload_url", "method", "headers"}
    assert body["method"] == "PUT" and body["headers"]["Content-Type"] == "application/zip"
    assert body["artifact_uri"].endswith(f"/numbers/{sha}.zip")
    assert s3.bucket in body["upload_url"]
    for bad in ({"flow_name": "numbers", "sha256": sha, "code_hash": "x"},
                {"flow_name": "numbers", "sha256": sha.upper()}, {"flow_name": "numbers",
                "sha256": sha[:-1]}, {"flow_name": "a/b", "sha256": sha},
                {"flow_name": "numbers"}, {"sha256": sha}, [sha]):
        s3_api.error(s3_api.post("/artifacts", json=bad), 422, "invalid")
    too_large = s3_api.post("/artifacts", content=b" " * (JSON_BODY_LIMIT + 1),
                            headers={"Content-Type": "application/json"})
    s3_api.error(too_large, 413, "payload_too_large")  # JSON keeps the JSON limit
    missing = s3_api.post("/flows", json={  # presigned but never PUT: not registrable
        "flow_name": "numbers", "flow_version": "1", "flow_spec": {"name": "numbers", "tasks": []},
        "artifact_uri": body["artifact_uri"], "code_hash": "h"})
    s3_api.error(missing, 404, "not_found")


def test_zip_bodies_still_work_against_s3(s3_api, s3):
    flow_obj, artifact = _built(s3_api)
    _, uri = s3_api.upload(flow_obj)
    assert uri.startswith(f"s3://{s3.bucket}/")
    assert s3.get_object(Bucket=s3.bucket, Key=uri[len(f"s3://{s3.bucket}/"):])["Body"].read() \
        == artifact.path.read_bytes()


def test_presign_true_falls_back_to_the_zip_body_on_a_local_store(local_api):
    flow_obj, artifact = _built(local_api)
    refused = local_api.post("/artifacts", json={"flow_name": "numbers", "sha256": "0" * 64})
    assert "send the ZIP as the request body" in local_api.error(refused, 422, "invalid")["message"]

    with served(create_app(local_api.deps)) as url:
        client = RecordingClient(api_url=url, api_key=local_api.key, timeout=WAIT_SECONDS)
        uri = client.upload_artifact(artifact.path, artifact.code_hash, flow_obj.name,
                                     presign=True)

    assert client.calls == [("POST", "/artifacts", "json", 422),
                            ("POST", "/artifacts", "zip", None)]
    assert uri.startswith("file://")
    assert local_api.deps.artifacts.get(uri) == artifact.path.read_bytes()
    registered = local_api.post("/flows", json=local_api.register_body(flow_obj, artifact, uri))
    assert registered.status_code == 201, registered.text
