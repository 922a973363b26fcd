"""`dagy sensors ...` and the delete commands against a fake client: what is sent, what
is printed, the confirmation prompt and one-line errors."""

from __future__ import annotations

import json

import pytest

from dagy.client import DagyApiError
from dagy.models import Deployment
from dagy.entrypoints.cli import remote
from dagy.entrypoints.cli.main import main


class FakeSensors:
    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.sensor = {"sensor_id": "s1", "name": "on-push", "sensor_type": "webhook",
                       "deployment_name": "etl-demo", "enabled": True, "config": {},
                       "last_triggered_at": None}

    def create_sensor(self, name, sensor_type, deployment_name, **kw):
        if deployment_name != "etl-demo":
            raise DagyApiError(404, "not_found", f"deployment {deployment_name!r} not found")
        self.calls.append(("create", name, sensor_type, deployment_name, kw))
        return {**self.sensor, "webhook_token": "tok", "webhook_path": "/hooks/tok"}

    def list_deployments(self):
        return [Deployment("etl-demo", "etl", "1")]

    def list_sensors(self, sensor_type=None):
        self.calls.append(("list", sensor_type))
        return [self.sensor]

    def get_sensor(self, sensor_id):
        return self.sensor

    def set_sensor_enabled(self, sensor_id, enabled):
        self.calls.append(("enabled", sensor_id, enabled))
        return {**self.sensor, "enabled": enabled}

    def delete_sensor(self, sensor_id):
        self.calls.append(("delete", sensor_id))

    def get_deployment(self, name):
        return Deployment("etl-demo", "etl", "1")

    def delete_deployment(self, name):
        self.calls.append(("delete_deployment", name))

    def get_schedule(self, schedule_id):
        return {"schedule_id": schedule_id, "deployment_name": "etl-demo"}

    def delete_schedule(self, schedule_id):
        self.calls.append(("delete_schedule", schedule_id))


@pytest.fixture
def fake(monkeypatch) -> FakeSensors:
    client = FakeSensors()
    monkeypatch.setattr(remote, "make_client", lambda profile: client)
    return client


def cli(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    captured = capsys.readouterr()
    return info.value.code or 0, captured.out, captured.err


def test_create_sends_config_and_params_and_prints_the_token_once(fake, capsys):
    code, out, _ = cli(capsys, "sensors", "create", "on-push", "--type", "webhook", "-d",
                       "etl-demo", "--config", '{"hmac_secret": "k"}', "-p", "n=2")
    assert code == 0 and out.splitlines()[0] == "s1 webhook enabled"
    assert "webhook_token tok" in out and "/hooks/tok" in out
    assert fake.calls == [("create", "on-push", "webhook", "etl-demo",
                           {"config": {"hmac_secret": "k"}, "flow_params": {"n": 2},
                            "enabled": True})]


def test_bad_config_and_unknown_deployment_are_one_line(fake, capsys):
    assert cli(capsys, "sensors", "create", "x", "-t", "webhook", "-d", "etl-demo",
               "--config", "[1]") == (2, "", "error: --config must be a JSON object\n")
    assert cli(capsys, "sensors", "create", "x", "-t", "webhook", "-d", "etl-dem") == (
        2, "", "error: deployment 'etl-dem' not found; did you mean 'etl-demo'?\n")
    assert fake.calls == []


def test_list_disable_enable_and_delete(fake, capsys):
    assert json.loads(cli(capsys, "sensors", "list", "--json", "-t", "webhook")[1])[0][
        "sensor_id"] == "s1"
    assert cli(capsys, "sensors", "disable", "s1")[1] == "s1 disabled\n"
    assert cli(capsys, "sensors", "enable", "s1")[1] == "s1 enabled\n"
    assert cli(capsys, "sensors", "delete", "s1", "--yes")[1] == "s1 deleted\n"
    assert fake.calls == [("list", "webhook"), ("enabled", "s1", False),
                          ("enabled", "s1", True), ("delete", "s1")]


def test_deletes_ask_first_and_a_no_deletes_nothing(fake, capsys, monkeypatch):
    monkeypatch.setattr("typer.confirm", lambda *a, **k: False)
    assert cli(capsys, "deployments", "delete", "etl-demo")[0] == 1
    assert cli(capsys, "schedules", "delete", "sc1")[0] == 1
    assert cli(capsys, "sensors", "delete", "s1")[0] == 1
    assert fake.calls == []
    monkeypatch.setattr("typer.confirm", lambda *a, **k: True)
    assert cli(capsys, "deployments", "delete", "etl-demo")[1] == "etl-demo deleted\n"
    assert cli(capsys, "schedules", "delete", "sc1", "-y")[1] == "sc1 deleted\n"
    assert fake.calls == [("delete_deployment", "etl-demo"), ("delete_schedule", "sc1")]
