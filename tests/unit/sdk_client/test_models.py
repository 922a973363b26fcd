"""SDK data models: parsing, validation, and Run polling."""

from __future__ import annotations

import dataclasses
import time

import pytest

from dagy.models import Deployment, DeployResult, Executor, Run, split_executor
from dagy.domain.errors import ConfigurationError, DagyError


def _queued_run(client):
    client.register_flow("etl", "1", {}, "mem://a", "h")
    client.create_deployment("etl", "etl", "1")
    return client.trigger_run("etl", {"n": 1})


def test_run_from_dict_ignores_unknown_keys_and_keeps_client_out_of_repr_and_eq():
    data = {"run_id": "r1", "status": "running", "brand_new_field": 1, "parameters": None}
    a = Run.from_dict(data, client=object())
    b = Run.from_dict(data)
    assert a.status == "RUNNING" and a.parameters == {}
    assert a == b
    assert "_client" not in repr(a)
    assert not a.is_terminal
    for status in ("SUCCEEDED", "FAILED", "CANCELLED"):
        assert Run("r", status).is_terminal


def test_wait_polls_until_succeeded(client, control_plane):
    control_plane.script = ["QUEUED", "RUNNING", "RUNNING", "SUCCEEDED"]
    run = _queued_run(client)
    started = time.monotonic()
    finished = run.wait(timeout=10, poll_interval=0.01)
    assert finished is run
    assert run.status == "SUCCEEDED" and run.result == {"rows": 3}
    assert run.flow_name == "etl" and run.is_terminal
    assert len(control_plane.calls("GET", f"/runs/{run.run_id}")) == 4
    assert time.monotonic() - started < 5


def test_wait_times_out_with_a_clear_message(client, control_plane):
    control_plane.script = ["RUNNING"]
    run = _queued_run(client)
    started = time.monotonic()
    with pytest.raises(TimeoutError) as info:
        run.wait(timeout=0.3, poll_interval=0.05)
    elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 2.0
    assert "brave-otter-1" in str(info.value) and "RUNNING" in str(info.value)
    assert "0.3s" in str(info.value)
    polls = len(control_plane.calls("GET", f"/runs/{run.run_id}"))
    assert 2 <= polls <= 10


def test_wait_on_terminal_run_makes_no_request(client, control_plane):
    run = Run("r9", "FAILED", _client=client)
    assert run.wait(timeout=1) is run
    assert control_plane.requests == []


def test_refresh_needs_a_client_and_wait_rejects_bad_interval():
    with pytest.raises(DagyError, match="not attached to a DagyClient"):
        Run("r1", "QUEUED").refresh()
    with pytest.raises(ValueError):
        Run("r1", "QUEUED").wait(poll_interval=0)


def test_refresh_updates_in_place(client, control_plane):
    run = _queued_run(client)
    assert run.status == "QUEUED" and run.flow_version is None
    assert run.refresh() is run
    assert (run.status, run.flow_version, run.executor) == ("RUNNING", "1", "local")


def test_executor_validates_and_normalises():
    ex = Executor("ecs", runtime_tier="XLarge", memory_mb=4096)
    assert (ex.name, ex.runtime_tier, ex.memory_mb) == ("ecs", "xlarge", 4096)
    assert ex == Executor("ecs", "xlarge", 4096)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ex.name = "lambda"  # type: ignore[misc]
    with pytest.raises(ConfigurationError, match="unknown executor"):
        Executor("kubernetes")
    with pytest.raises(ConfigurationError, match="unknown runtime tier"):
        Executor("lambda", runtime_tier="huge")
    for bad in (0, -1, 1.5, True, "512"):
        with pytest.raises(ConfigurationError, match="memory_mb"):
            Executor("ecs", memory_mb=bad)
    with pytest.raises(ConfigurationError):
        Executor(None)  # type: ignore[arg-type]


def test_split_executor_accepts_every_spelling():
    assert split_executor(None) == (None, None)
    assert split_executor("lambda") == ("lambda", None)
    assert split_executor(Executor("ecs", "small")) == ("ecs", "small")
    assert split_executor({"name": "step-functions", "runtime_tier": "nano"}) == (
        "step-functions", "nano")
    with pytest.raises(ConfigurationError):
        split_executor("docker")


def test_deployment_from_dict_defaults():
    dep = Deployment.from_dict({"deployment_name": "d", "flow_name": "f", "flow_version": "2",
                                "tags": None, "status": None, "extra": True})
    assert dep == Deployment("d", "f", "2")
    assert (dep.status, dep.tags, dep.parameters, dep.schedule) == ("ACTIVE", {}, {}, None)


def test_deploy_result_defaults():
    result = DeployResult(True, "d", "f", "1", "hash")
    assert result.artifact_uri is None and result.skipped
