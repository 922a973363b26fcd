"""Remote commands (deploy, run <deployment>, runs, deployments) against a fake client,
and profiles.toml writing."""

from __future__ import annotations

import json
import os
import stat
import tomllib

import pytest

from dagy.client import DagyApiError, DagyClient, DagyConnectionError
from dagy.models import Deployment, DeployResult, Run
from dagy.domain.errors import ConfigurationError
from dagy.entrypoints import profiles
from dagy.entrypoints.cli import remote
from dagy.entrypoints.cli.main import main

SPEC = {"parameters": [{"name": "zip", "type": "string"}, {"name": "n", "type": "integer"}]}


class FakeClient:
    """Answers like DagyClient; `statuses` is what successive get_run calls report."""

    def __init__(self) -> None:
        self.triggered: list[tuple[str, dict]] = []
        self.statuses: list[str] = ["RUNNING", "SUCCEEDED"]
        self.get_errors: list[Exception] = []
        self.trigger_error: Exception | None = None
        self.deployment = Deployment("web-scraper", "web_scraper", "1.0.0")

    def _seg(self, name: str) -> str:
        return name

    def _request(self, method: str, path: str) -> dict:
        assert (method, path) == ("GET", "/flows/web_scraper/versions/1.0.0")
        return {"flow_spec": SPEC}

    def _run(self, status: str, **extra) -> Run:
        return Run.from_dict({"run_id": "r1", "run_slug": "brave-otter", "status": status,
                              "deployment_name": "web-scraper", "parameters": {"n": 1},
                              "created_at": "2024-01-01T10:00:00+00:00", **extra}, client=self)

    def trigger_run(self, deployment: str, parameters: dict) -> Run:
        if self.trigger_error:
            raise self.trigger_error
        self.triggered.append((deployment, parameters))
        return self._run("QUEUED")

    def get_run(self, run_id: str) -> Run:
        if self.get_errors:
            raise self.get_errors.pop(0)
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        extra = {"result": {"rows": 3}} if status == "SUCCEEDED" else (
            {"error_message": "task 'boom' failed: RuntimeError: kaboom"}
            if status == "FAILED" else {})
        return self._run(status, **extra)

    def get_deployment(self, name: str) -> Deployment:
        if name != self.deployment.deployment_name:
            raise DagyApiError(404, "not_found", f"deployment {name!r} not found")
        return self.deployment

    def list_runs(self, **filters) -> list[Run]:
        self.filters = filters
        return [self._run("SUCCEEDED", completed_at="2024-01-01T10:00:05+00:00")]

    def task_runs(self, run_id: str) -> list[dict]:
        return [{"task_id": "double", "status": "SUCCEEDED", "attempt": 1, "map_index": None},
                {"task_id": "enrich", "status": "FAILED", "attempt": 2, "map_index": 0,
                 "error_message": "ValueError: bad"}]

    def logs(self, run_id: str) -> list[dict]:
        return [{"timestamp": "2024-01-01T10:00:00+00:00", "level": "INFO",
                 "message": "run RUNNING", "task_run_id": None}]

    def cancel_run(self, run_id: str) -> Run:
        return self._run("CANCELLED")

    def retry_run(self, run_id: str, from_tasks: list[str] | None = None) -> Run:
        self.retried = (run_id, from_tasks)
        return self._run("QUEUED")

    def list_deployments(self) -> list[Deployment]:
        return [self.deployment]

    def list_schedules(self, deployment_name: str | None = None) -> list[dict]:
        return [{"schedule_id": "s1", "deployment_name": "web-scraper", "mode": "interval",
                 "interval_seconds": 60, "timezone": "UTC", "enabled": True}]

    def pause_deployment(self, name: str) -> Deployment:
        self.deployment.status = "PAUSED"
        return self.deployment

    def resume_deployment(self, name: str) -> Deployment:
        self.deployment.status = "ACTIVE"
        return self.deployment


@pytest.fixture
def fake(monkeypatch) -> FakeClient:
    client = FakeClient()
    client.profiles = []
    monkeypatch.setattr(remote, "make_client", lambda profile: client.profiles.append(profile)
                        or client)
    monkeypatch.setattr(remote, "POLL_SECONDS", 0.001)
    return client


def cli(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    captured = capsys.readouterr()
    return info.value.code or 0, captured.out, captured.err


def test_run_of_a_deployment_triggers_it_with_typed_params(fake, capsys) -> None:
    code, out, err = cli(capsys, "run", "web-scraper", "-p", "zip=02134", "-p", "n=3",
                         "--profile", "staging")
    assert (code, out) == (0, "r1 QUEUED\n")
    assert fake.triggered == [("web-scraper", {"zip": "02134", "n": 3})]  # zip stays a string
    assert fake.profiles == ["staging"]


def test_run_wait_prints_the_result_json_and_progress_on_stderr(fake, capsys) -> None:
    code, out, err = cli(capsys, "run", "web-scraper", "--wait")
    assert code == 0 and json.loads(out) == {"rows": 3}
    assert "brave-otter" in err and "SUCCEEDED" in err


def test_run_wait_on_a_failed_run_exits_1_with_the_error(fake, capsys) -> None:
    fake.statuses = ["FAILED"]
    code, out, err = cli(capsys, "run", "web-scraper", "--wait")
    assert (code, out) == (1, "")
    assert err.strip().splitlines()[-1] == ("error: run brave-otter FAILED: task 'boom' failed: "
                                            "RuntimeError: kaboom")


def test_run_wait_gives_up_after_the_timeout(fake, capsys) -> None:
    fake.statuses = ["RUNNING"]
    code, out, err = cli(capsys, "run", "web-scraper", "--wait", "--timeout", "0.05")
    assert code == 1 and out == ""
    assert "still RUNNING after 0.05s" in err.strip().splitlines()[-1]


def test_run_wait_rides_out_a_restarting_control_plane(fake, capsys) -> None:
    fake.get_errors = [DagyConnectionError("refused"), DagyConnectionError("refused")]
    code, out, _ = cli(capsys, "run", "web-scraper", "--wait", "--timeout", "10")
    assert code == 0 and json.loads(out) == {"rows": 3}


@pytest.mark.parametrize("error, code, line", [
    (DagyApiError(409, "conflict", "deployment 'web-scraper' is paused"), 2,
     "error: deployment 'web-scraper' is paused (HTTP 409)"),
    (DagyApiError(404, "not_found", "deployment 'x' not found"), 2,
     "error: deployment 'x' not found (HTTP 404)"),
    (DagyApiError(503, "unavailable", "database is down"), 1,
     "error: database is down (HTTP 503)"),
    (DagyConnectionError("cannot reach the Dagy control plane at http://127.0.0.1:1"), 2,
     "error: 'web-scraper' is taken as a deployment name (it is not a local path.py[:flow] "
     "file); `dagy run <deployment>` requires a running `dagy server`: cannot reach the Dagy "
     "control plane at http://127.0.0.1:1"),
    (ConfigurationError("profile 'nope' not found"), 2, "error: profile 'nope' not found"),
])
def test_client_errors_are_one_line_without_traceback(fake, capsys, error, code, line) -> None:
    fake.trigger_error = error
    assert cli(capsys, "run", "web-scraper") == (code, "", line + "\n")


def test_local_targets_still_run_locally(fake, capsys) -> None:
    code, out, err = cli(capsys, "run", "missing_flows.py")
    assert code == 2 and "file not found" in err
    assert fake.profiles == []  # no control plane involved


def test_deploy_passes_name_and_version_overrides(fake, capsys, monkeypatch, tmp_path) -> None:
    import dagy.deploy

    artifact = tmp_path / "artifact.zip"
    artifact.write_bytes(b"PK")
    seen = {}

    def deploy_artifact(path, deployment, *, client, flow_name, flow_version, environment):
        seen.update(path=path, deployment=deployment, client=client, flow_name=flow_name,
                    flow_version=flow_version, environment=environment)
        return DeployResult(False, deployment, flow_name, flow_version, "abc123", "file://x")

    monkeypatch.setattr(dagy.deploy, "deploy_artifact", deploy_artifact)
    code, out, err = cli(capsys, "deploy", str(artifact), "--deployment", "web-scraper",
                         "--flow-name", "renamed", "--flow-version", "2.0")
    assert code == 0 and seen["client"] is fake
    assert (seen["flow_name"], seen["flow_version"], seen["environment"]) == (
        "renamed", "2.0", None)
    assert out.splitlines() == ["deployment: web-scraper", "flow: renamed", "flow_version: 2.0",
                                "code_hash: abc123"]
    assert cli(capsys, "deploy", str(artifact), "--env", "staging")[0] == 0
    assert seen["environment"] == "staging"
    assert cli(capsys, "deploy", str(tmp_path / "none.zip"))[0] == 2


def test_runs_commands(fake, capsys) -> None:
    code, out, _ = cli(capsys, "runs", "list", "--deployment", "web-scraper", "--status",
                       "SUCCEEDED", "--limit", "5")
    assert code == 0 and "r1" in out and "brave-otter" in out and "SUCCEEDED" in out
    assert fake.filters == {"deployment_name": "web-scraper", "status": "SUCCEEDED", "limit": 5}
    assert json.loads(cli(capsys, "runs", "list", "--json")[1])[0]["run_id"] == "r1"
    fake.statuses = ["SUCCEEDED"]
    code, out, _ = cli(capsys, "runs", "show", "r1")
    assert code == 0 and "enrich[0]" in out and "ValueError: bad" in out and '"rows": 3' in out
    assert json.loads(cli(capsys, "runs", "show", "r1", "--json")[1])["task_runs"][0][
        "task_id"] == "double"
    assert "INFO    run RUNNING" in cli(capsys, "runs", "logs", "r1")[1]
    assert cli(capsys, "runs", "cancel", "r1")[1] == "r1 CANCELLED\n"
    assert cli(capsys, "runs", "retry", "r1")[1] == "r1 QUEUED\n"
    assert fake.retried == ("r1", None)
    assert cli(capsys, "runs", "retry", "r1", "--from-task", "b", "--from-task", "c")[1] == \
        "r1 QUEUED\n"
    assert fake.retried == ("r1", ["b", "c"])


def test_other_commands_report_connection_errors_as_is(fake, capsys, monkeypatch) -> None:
    def refused(run_id):
        raise DagyConnectionError("cannot reach the Dagy control plane at http://127.0.0.1:1")

    monkeypatch.setattr(fake, "cancel_run", refused)
    assert cli(capsys, "runs", "cancel", "r1") == (
        2, "", "error: cannot reach the Dagy control plane at http://127.0.0.1:1\n")


def test_deployments_commands(fake, capsys) -> None:
    assert "web_scraper" in cli(capsys, "deployments", "list")[1]
    assert cli(capsys, "deployments", "pause", "web-scraper")[1] == "web-scraper PAUSED\n"
    assert "PAUSED" in cli(capsys, "deployments", "show", "web-scraper")[1]
    assert cli(capsys, "deployments", "resume", "web-scraper")[1] == "web-scraper ACTIVE\n"
    assert json.loads(cli(capsys, "deployments", "list", "--json")[1])[0]["status"] == "ACTIVE"
    assert cli(capsys, "deployments", "show", "other") == (
        2, "", "error: deployment 'other' not found (HTTP 404)\n")  # nothing near it
    assert cli(capsys, "deployments", "show", "web-scrapr") == (
        2, "", "error: deployment 'web-scrapr' not found; did you mean 'web-scraper'?\n")
    shown = cli(capsys, "deployments", "show", "web-scraper")[1]
    assert "every 60 s" in shown and "zip" in shown and "integer" in shown
    assert "every 60 s" in cli(capsys, "deployments", "list")[1]


# -- profiles.toml -------------------------------------------------------------------


def test_write_profile_creates_a_private_file_the_client_reads(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DAGY_HOME", str(tmp_path))
    monkeypatch.delenv("DAGY_API_URL", raising=False)
    monkeypatch.delenv("DAGY_API_KEY", raising=False)
    path = profiles.profiles_path(tmp_path)
    assert profiles.write_profile(path, "local", {"api_url": "http://h:1", "api_key": "k1"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    client = DagyClient()
    assert (client.api_url, client.api_key) == ("http://h:1", "k1")
    monkeypatch.setenv("DAGY_API_URL", "http://other:2")
    assert DagyClient().api_url == "http://other:2"
    mtime = path.stat().st_mtime_ns
    assert not profiles.write_profile(path, "local", {"api_key": "k1"})
    assert path.stat().st_mtime_ns == mtime


def test_write_profile_keeps_comments_other_tables_and_keys(tmp_path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text('# my profiles\n[prod]\napi_url = "https://dagy.example.com"  # prod\n'
                    'api_key = "p"\n\n[local]\nnote = "keep me"\napi_key = "old"\n\n'
                    '[prod.extra]\nretries = 3\n')
    assert profiles.write_profile(path, "local", {"api_url": "http://127.0.0.1:9", "api_key": "new"})
    text = path.read_text()
    assert text.startswith("# my profiles\n") and "# prod" in text
    assert tomllib.loads(text) == {
        "prod": {"api_url": "https://dagy.example.com", "api_key": "p", "extra": {"retries": 3}},
        "local": {"note": "keep me", "api_key": "new", "api_url": "http://127.0.0.1:9"}}
    assert profiles.write_profile(path, "staging", {"api_key": 'q"uote\\'})
    assert profiles.read_profile(path, "staging") == {"api_key": 'q"uote\\'}
    assert profiles.read_profile(path, "local")["note"] == "keep me"


def test_unusual_layouts_are_rewritten_from_their_content(tmp_path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text('local = { api_url = "http://a" }\n[other]\nlist = [1, 2]\nwhen = 2024-01-01\n')
    assert profiles.write_profile(path, "local", {"api_key": "k"})
    data = tomllib.loads(path.read_text())
    assert data["local"] == {"api_url": "http://a", "api_key": "k"}
    assert data["other"]["list"] == [1, 2] and str(data["other"]["when"]) == "2024-01-01"


def test_dumps_round_trips_nested_tables_and_odd_strings() -> None:
    data = {"top": 1, "a": {"s": "line\nbreak \"q\" \\ é", "b": True, "f": 1.5,
                            "nested": {"x": [1, "two"]}}, "key with space": {"v": -3}}
    assert tomllib.loads(profiles.dumps(data)) == data


def test_broken_profiles_are_a_configuration_error(tmp_path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text("[local\n")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        profiles.write_profile(path, "local", {"api_key": "k"})
    path.write_text('local = "x"\n')
    with pytest.raises(ConfigurationError, match="not a table"):
        profiles.write_profile(path, "local", {"api_key": "k"})
    assert os.listdir(tmp_path) == ["profiles.toml"]  # no temporary file left behind
