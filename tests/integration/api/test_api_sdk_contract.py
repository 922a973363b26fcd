"""dagy.client.DagyClient against the real app over HTTP (uvicorn on loopback).

The SDK's request and response shapes are the API's contract: deploy (upload, register,
deployment), redeploy skipped by code hash, trigger + wait, task runs, logs, errors.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from dagy.application.bus import MessageBus
from dagy.application.consumer import consume_batch
from dagy.application.use_cases.outbox import relay_outbox
from dagy.client import DagyApiError, DagyClient
from dagy.deploy import deploy_flow
from dagy.entrypoints.api import create_app


@pytest.fixture
def served(api):
    """Serve create_app(api.deps) on a free port and run a background queue consumer."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(api.deps), log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    stop = threading.Event()

    def consume() -> None:
        bus = MessageBus(api.deps)
        while not stop.is_set():
            relay_outbox(api.deps)
            if not consume_batch(bus, visibility_timeout=60):
                stop.wait(0.02)

    worker = threading.Thread(target=consume, daemon=True)
    thread.start()
    worker.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started
    try:
        yield api, DagyClient(api_url=f"http://127.0.0.1:{port}", api_key=api.key, timeout=10)
    finally:
        stop.set()
        server.should_exit = True
        thread.join(10)
        worker.join(10)
        sock.close()


def test_sdk_client_round_trip(served, tmp_path):
    api, client = served
    assert client.health() == {"status": "ok"}
    assert client.get_flow("numbers") is None

    flow_obj = api.load_flow(api.NUMBERS_FLOW.format(flow_name="numbers", version="1.0.0"),
                             "numbers")
    first = deploy_flow(flow_obj, client=client, output_dir=tmp_path / "sdk-dist")
    assert not first.skipped and first.artifact_uri
    again = deploy_flow(flow_obj, client=client, output_dir=tmp_path / "sdk-dist")
    assert again.skipped and again.flow_version == "1.0.0"
    info = client.get_flow("numbers")
    assert info["latest_version"] == "1.0.0"
    assert info["versions"][0]["code_hash"] == first.code_hash

    deployment = client.get_deployment("numbers")
    assert deployment.flow_name == "numbers" and deployment.status == "ACTIVE"
    assert [d.deployment_name for d in client.list_deployments()] == ["numbers"]
    assert client.pause_deployment("numbers").status == "PAUSED"
    with pytest.raises(DagyApiError) as paused:
        client.trigger_run("numbers", {"n": 3})
    assert paused.value.status == 409 and paused.value.code == "conflict"
    assert client.resume_deployment("numbers").status == "ACTIVE"

    with pytest.raises(DagyApiError) as invalid:
        client.trigger_run("numbers", {"n": "three"})
    assert invalid.value.status == 422 and invalid.value.details

    run = client.trigger_run("numbers", {"n": 3}, idempotency_key="k-1")
    assert run.status == "QUEUED" and run.run_slug
    assert client.trigger_run("numbers", {"n": 3}, idempotency_key="k-1").run_id == run.run_id
    finished = run.wait(timeout=30, poll_interval=0.05)
    assert finished.status == "SUCCEEDED" and finished.result == 3
    assert {t["task_name"] for t in client.task_runs(run.run_id)} == {"make", "total"}
    assert client.logs(run.run_id)
    assert [r.run_id for r in client.list_runs(status="SUCCEEDED")] == [run.run_id]

    with pytest.raises(DagyApiError) as terminal:
        client.cancel_run(run.run_id)
    assert terminal.value.status == 409
    with pytest.raises(DagyApiError) as missing:
        client.get_run("no-such-run")
    assert missing.value.status == 404 and missing.value.code == "not_found"
