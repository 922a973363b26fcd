"""DagyClient against the fake control plane: wire format, errors, configuration."""

from __future__ import annotations

import socket
import time

import pytest

from dagy.client import DagyApiError, DagyClient, DagyConnectionError
from dagy.models import Deployment, Executor, Run
from dagy.domain.errors import ConfigurationError, DagyError


def _register(client: DagyClient, name: str = "daily_etl", version: str = "1", code_hash="h1"):
    return client.register_flow(name, version, {"name": name, "tasks": []},
                                f"mem://{code_hash}", code_hash, namespace="team-a",
                                tags={"team": "data"}, default_executor="lambda")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_request_carries_the_bearer_key(client, control_plane):
    assert client.health() == {"status": "ok"}
    _register(client)
    client.get_flow("daily_etl")
    assert len(control_plane.requests) == 3
    assert {r.headers["Authorization"] for r in control_plane.requests} == {f"Bearer {control_plane.api_key}"}


def test_no_key_means_no_auth_header_and_401_is_mapped(control_plane):
    anon = DagyClient(api_url=control_plane.url)
    with pytest.raises(DagyApiError) as info:
        anon.health()
    assert "Authorization" not in control_plane.requests[0].headers
    assert (info.value.status, info.value.code) == (401, "unauthorized")
    assert info.value.message == "missing or invalid API key"


def test_upload_sends_raw_zip_with_hash_header_and_flow_name(client, control_plane, tmp_path):
    zip_path = tmp_path / "a.zip"
    zip_path.write_bytes(b"PK\x03\x04fake-zip-bytes")
    uri = client.upload_artifact(zip_path, "abc123", "daily_etl")
    assert uri == "mem://artifacts/daily_etl/abc123.zip"
    rec = control_plane.calls("POST", "/artifacts")[0]
    assert rec.body == b"PK\x03\x04fake-zip-bytes"
    assert rec.headers["Content-Type"] == "application/zip"
    assert rec.headers["X-Dagy-Code-Hash"] == "abc123"
    assert rec.query == {"flow_name": "daily_etl"}


def test_upload_of_missing_file_is_a_dagy_error(client, tmp_path):
    with pytest.raises(DagyError, match="cannot read artifact"):
        client.upload_artifact(tmp_path / "missing.zip", "h", "f")


def test_register_flow_posts_the_documented_json(client, control_plane):
    _register(client)
    rec = control_plane.calls("POST", "/flows")[0]
    assert rec.headers["Content-Type"] == "application/json"
    assert rec.json == {
        "flow_name": "daily_etl", "flow_version": "1",
        "flow_spec": {"name": "daily_etl", "tasks": []}, "artifact_uri": "mem://h1",
        "code_hash": "h1", "namespace": "team-a", "tags": {"team": "data"},
        "default_executor": "lambda"}


def test_get_flow_returns_versions_or_none(client):
    assert client.get_flow("nope") is None
    _register(client)
    _register(client, version="2", code_hash="h2")
    flow = client.get_flow("daily_etl")
    assert flow["latest_version"] == "2"
    assert [v["code_hash"] for v in flow["versions"]] == ["h1", "h2"]


def test_conflicting_code_hash_surfaces_409(client):
    _register(client)
    with pytest.raises(DagyApiError) as info:
        _register(client, code_hash="different")
    assert (info.value.status, info.value.code) == (409, "version_conflict")


def test_unknown_deployment_maps_error_json(client):
    with pytest.raises(DagyApiError) as info:
        client.get_deployment("ghost")
    err = info.value
    assert (err.status, err.code) == (404, "not_found")
    assert err.message == "deployment ghost not found"
    assert err.details == {"deployment_name": "ghost"}
    assert "deployment ghost not found" in str(err) and "404" in str(err)


def test_deployment_lifecycle_and_cursor_following(client, control_plane):
    _register(client)
    dep = client.create_deployment("etl", "daily_etl", "1", schedule="0 * * * *",
                                   default_executor=Executor("ecs", runtime_tier="LARGE"),
                                   tags={"env": "prod"})
    assert isinstance(dep, Deployment)
    assert (dep.schedule, dep.default_executor, dep.default_runtime_tier) == (
        "0 * * * *", "ecs", "large")
    assert control_plane.calls("POST", "/deployments")[0].json == {
        "deployment_name": "etl", "flow_name": "daily_etl", "flow_version": "1",
        "schedule": "0 * * * *", "default_executor": "ecs", "default_runtime_tier": "large",
        "tags": {"env": "prod"}}
    for i in range(4):
        client.create_deployment(f"etl-{i}", "daily_etl", "1")
    names = [d.deployment_name for d in client.list_deployments()]
    assert names == ["etl", "etl-0", "etl-1", "etl-2", "etl-3"]
    assert len(control_plane.calls("GET", "/deployments")) == 3  # page size 2
    assert client.pause_deployment("etl").status == "PAUSED"
    assert client.get_deployment("etl").status == "PAUSED"
    assert client.resume_deployment("etl").status == "ACTIVE"


def test_trigger_run_and_read_it_back(client, control_plane):
    _register(client)
    client.create_deployment("etl", "daily_etl", "1")
    run = client.trigger_run("etl", {"day": "2024-01-01"}, runtime_tier="Small",
                             idempotency_key="k-1")
    assert isinstance(run, Run)
    assert (run.run_id, run.run_slug, run.status) == ("run-1", "brave-otter-1", "QUEUED")
    assert run.deployment_name == "etl" and run.parameters == {"day": "2024-01-01"}
    assert control_plane.calls("POST", "/runs")[0].json == {
        "deployment_name": "etl", "parameters": {"day": "2024-01-01"},
        "runtime_tier": "small", "idempotency_key": "k-1"}
    assert client.trigger_run("etl", idempotency_key="k-1").run_id == "run-1"
    fetched = client.get_run("run-1")
    assert fetched.status == "RUNNING" and fetched.flow_name == "daily_etl"
    assert fetched.created_at == "2024-01-01T00:00:00Z"


def test_invalid_tier_is_rejected_before_any_request(client, control_plane):
    with pytest.raises(ConfigurationError, match="unknown runtime tier"):
        client.trigger_run("etl", runtime_tier="gigantic")
    assert control_plane.requests == []


def test_list_runs_passes_filters_as_query(client, control_plane):
    _register(client)
    client.create_deployment("a", "daily_etl", "1")
    client.create_deployment("b", "daily_etl", "1")
    client.trigger_run("a")
    client.trigger_run("b")
    runs = client.list_runs(deployment_name="b", status="QUEUED", limit=10)
    assert [r.deployment_name for r in runs] == ["b"]
    assert control_plane.calls("GET", "/runs")[0].query == {
        "deployment_name": "b", "status": "QUEUED", "limit": "10"}


def test_cancel_retry_task_runs_and_logs(client, control_plane):
    _register(client)
    client.create_deployment("etl", "daily_etl", "1")
    run = client.trigger_run("etl", {"x": 1})
    assert client.cancel_run(run.run_id).status == "CANCELLED"
    with pytest.raises(DagyApiError) as info:
        client.cancel_run(run.run_id)
    assert info.value.code == "illegal_transition"
    retried = client.retry_run(run.run_id)
    assert retried.run_id == "run-2" and retried.status == "QUEUED"
    assert control_plane.calls("POST", f"/runs/{run.run_id}/retry")[0].body == b""
    client.retry_run(run.run_id, from_tasks=["load", "report"])
    sent = control_plane.calls("POST", f"/runs/{run.run_id}/retry")[1]
    assert sent.json == {"from_tasks": ["load", "report"]}
    assert client.task_runs(run.run_id) == [{"task_id": "extract", "status": "SUCCEEDED"}]
    assert client.logs(run.run_id) == [{"message": "hello", "level": "INFO"}]


def test_refused_connection_gives_actionable_message():
    url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(DagyConnectionError) as info:
        DagyClient(api_url=url, timeout=2).health()
    message = str(info.value)
    assert url in message and "dagy server" in message and "DAGY_API_URL" in message
    assert "connection refused" in message
    for noise in ("Traceback", "URLError", "Errno", "<urlopen"):
        assert noise not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_slow_server_times_out_as_connection_error(client, control_plane):
    control_plane.delay = 1.5
    slow = DagyClient(api_url=control_plane.url, api_key=control_plane.api_key, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(DagyConnectionError, match="timed out"):
        slow.health()
    assert time.monotonic() - started < 1.4


def test_non_json_error_and_non_json_success_are_api_errors(client, control_plane):
    control_plane.override = (502, b"Bad Gateway from proxy")
    with pytest.raises(DagyApiError) as info:
        client.health()
    assert (info.value.status, info.value.code) == (502, "http_502")
    assert info.value.message == "Bad Gateway from proxy"
    control_plane.override = (200, b"<html>not json</html>")
    with pytest.raises(DagyApiError) as info:
        client.health()
    assert info.value.code == "invalid_response"


def _write_profiles(tmp_path, text: str) -> None:
    home = tmp_path / "dagy-home"
    home.mkdir(exist_ok=True)
    (home / "profiles.toml").write_text(text)


def test_defaults_without_any_configuration():
    c = DagyClient()
    assert (c.api_url, c.api_key, c.timeout) == ("http://127.0.0.1:8484", None, 30)


def test_local_profile_is_read_by_default(tmp_path):
    _write_profiles(tmp_path, '[local]\napi_url = "http://local:1/"\napi_key = "lk"\n'
                              '[prod]\napi_url = "https://prod"\napi_key = "pk"\n')
    assert (DagyClient().api_url, DagyClient().api_key) == ("http://local:1", "lk")
    prod = DagyClient(profile="prod")
    assert (prod.api_url, prod.api_key) == ("https://prod", "pk")
    assert "pk" not in repr(prod)


def test_env_beats_profile_and_args_beat_env(tmp_path, monkeypatch):
    _write_profiles(tmp_path, '[local]\napi_url = "http://profile"\napi_key = "pkey"\n')
    monkeypatch.setenv("DAGY_API_URL", "http://env")
    env_client = DagyClient()
    assert (env_client.api_url, env_client.api_key) == ("http://env", "pkey")
    monkeypatch.setenv("DAGY_API_KEY", "ekey")
    assert DagyClient().api_key == "ekey"
    explicit = DagyClient(api_url="http://arg", api_key="akey")
    assert (explicit.api_url, explicit.api_key) == ("http://arg", "akey")


def test_bad_profile_configuration_is_reported(tmp_path):
    with pytest.raises(ConfigurationError, match="does not exist"):
        DagyClient(profile="prod")
    _write_profiles(tmp_path, '[local]\napi_url = "http://x"\n')
    with pytest.raises(ConfigurationError, match="'prod' not found.*local"):
        DagyClient(profile="prod")
    _write_profiles(tmp_path, "[local\napi_url = ")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        DagyClient()
