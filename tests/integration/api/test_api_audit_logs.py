"""The audit log over HTTP: every mutation of the API leaves one entry in its org's
chain (never a secret), a refused or rolled-back mutation leaves none, and
`GET /audit-logs` filters and pages while `GET /audit-logs/chain` walks the chain."""

from __future__ import annotations

import json

import pytest

from dagy.application.use_cases import deployments
from dagy.domain.audit import verify_chain
from dagy.domain.errors import NotFoundError
from dagy.audit_chain import entry_from_wire

RANGE = {"start": "2026-01-01T00:00:00Z", "end": "2026-01-01T02:00:00Z"}


def chain(api) -> list[dict]:
    items, after = [], 0
    for _ in range(50):
        page = api.get("/audit-logs/chain", params={"after_seq": after, "limit": 7}).json()
        items += page["items"]
        if page["next_after_seq"] is None:
            return items
        after = page["next_after_seq"]
    raise AssertionError("the chain did not end")


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json() if response.content else {}


def mutate_everything(api) -> dict[str, str]:
    """One of each mutation the API offers; returns the secrets it was given or shown."""
    api.deploy()
    ok(api.call("PATCH", "/deployments/numbers-prod", json={"tags": {"team": "data"}}))
    ok(api.post("/deployments/numbers-prod/pause"))
    ok(api.post("/deployments/numbers-prod/resume"))
    run_id = api.trigger(parameters={"n": 2})["run_id"]
    ok(api.post(f"/runs/{run_id}/cancel"))
    ok(api.post(f"/runs/{run_id}/retry"))
    sid = ok(api.post("/schedules", json={"deployment_name": "numbers-prod",
                                          "cron_expression": "0 * * * *",
                                          "parameters": {"n": 1}}), 201)["schedule_id"]
    ok(api.call("PATCH", f"/schedules/{sid}", json={"parameters": {"n": 3}}))
    ok(api.post(f"/schedules/{sid}/disable"))
    ok(api.post(f"/schedules/{sid}/enable"))
    ok(api.post("/deployments/numbers-prod/backfill", json=RANGE))
    ok(api.call("DELETE", f"/schedules/{sid}"), 204)
    sensor = ok(api.post("/sensors", json={
        "name": "on-push", "sensor_type": "webhook", "deployment_name": "numbers-prod",
        "config": {"hmac_secret": "first-hmac-value"}}), 201)
    ok(api.call("PATCH", f"/sensors/{sensor['sensor_id']}",
                json={"config": {"hmac_secret": "second-hmac-value"}}))
    rotated = ok(api.post(f"/sensors/{sensor['sensor_id']}/rotate-token"))
    ok(api.post(f"/sensors/{sensor['sensor_id']}/disable"))
    ok(api.call("DELETE", f"/sensors/{sensor['sensor_id']}"), 204)
    key = ok(api.post("/api-keys", json={"name": "ci", "role": "developer"}), 201)
    ok(api.call("DELETE", f"/api-keys/{key['key_id']}"), 204)
    ok(api.call("DELETE", "/deployments/numbers-prod"), 204)
    return {"api_key": key["api_key"], "key_secret": key["api_key"].rsplit("_", 1)[1],
            "owner_key": api.key, "token1": sensor["webhook_token"],
            "token2": rotated["webhook_token"], "hmac1": "first-hmac-value",
            "hmac2": "second-hmac-value"}


def test_every_mutation_leaves_one_entry_and_no_secret(api):
    secrets = mutate_everything(api)
    entries = chain(api)
    actions = [e["action"] for e in entries]
    assert actions == [
        "org.create", "artifact.upload", "flow.register", "deployment.create",
        "deployment.update", "deployment.pause", "deployment.resume", "run.create",
        "run.cancel", "run.retry", "schedule.create", "schedule.update", "schedule.disable",
        "schedule.enable", "deployment.backfill", "schedule.delete", "sensor.create",
        "sensor.webhook_secret.change", "sensor.update", "sensor.rotate_token",
        "sensor.disable", "sensor.delete", "api_key.create", "api_key.revoke",
        "deployment.delete"]
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert verify_chain([entry_from_wire(e) for e in entries]) is None
    assert entries[0]["actor"] == "system" and entries[0]["ip"] is None
    me = ok(api.get("/me"))
    assert {e["actor"] for e in entries[1:]} == {f"key:{me['key_id']}"}
    dumped = json.dumps(entries)
    with api.deps.uow() as uow:
        hashes = [k.secret_hash for k in uow.api_keys.list(entries[0]["org_id"])[0]]
    for name, value in {**secrets, **{f"hash{i}": h for i, h in enumerate(hashes)}}.items():
        assert value not in dumped, name
    by_action = {e["action"]: e for e in entries}
    assert by_action["deployment.update"]["before"]["tags"] == {}
    assert by_action["deployment.update"]["after"]["tags"] == {"team": "data"}
    assert by_action["deployment.pause"]["after"]["status"] == "PAUSED"
    assert by_action["run.cancel"]["after"]["status"] == "CANCELLED"
    assert by_action["api_key.revoke"]["after"]["revoked"] is True
    assert "secret_hash" not in by_action["api_key.create"]["after"]
    assert by_action["sensor.webhook_secret.change"]["after"] == {"signature_required": True}
    assert by_action["deployment.delete"]["after"] is None
    assert by_action["deployment.backfill"]["after"]["runs"]


def test_the_request_origin_is_recorded(api):
    api.deploy()
    ok(api.post("/deployments/numbers-prod/pause", headers={"X-Request-Id": "trace-42"}))
    (entry,) = ok(api.get("/audit-logs", params={"limit": 1}))["items"]
    assert (entry["action"], entry["request_id"], entry["ip"]) == (
        "deployment.pause", "trace-42", "testclient")


def test_a_refused_mutation_leaves_no_entry(api):
    api.deploy()
    count = len(chain(api))
    api.error(api.post("/deployments", json={"deployment_name": "x", "flow_name": "nope"}), 404)
    api.error(api.post("/runs", json={"deployment_name": "nope"}), 404)
    api.error(api.call("PATCH", "/deployments/numbers-prod", json={"tags": "bad"}), 422)
    assert len(chain(api)) == count


def test_a_mutation_whose_transaction_fails_leaves_no_entry(api, monkeypatch):
    api.deploy()
    count = len(chain(api))
    real = api.deps.uow

    class FailingCommit:
        def __init__(self) -> None:
            self.uow = real()

        def __enter__(self):
            self.uow.__enter__()
            return self

        def __exit__(self, *exc):
            return self.uow.__exit__(*exc)

        def __getattr__(self, name):
            return getattr(self.uow, name)

        def commit(self) -> None:
            raise RuntimeError("the datastore went away")

    monkeypatch.setattr(api.deps, "uow", FailingCommit)
    with pytest.raises(RuntimeError):
        deployments.set_paused(api.deps, _owner(api), "numbers-prod", True)
    monkeypatch.setattr(api.deps, "uow", real)
    assert len(chain(api)) == count
    assert ok(api.get("/deployments/numbers-prod"))["status"] == "ACTIVE"


def _owner(api):
    from dagy.application.use_cases.accounts import authenticate
    return authenticate(api.deps, api.key)


def test_filters_and_pages(api):
    mutate_everything(api)
    every = chain(api)
    deployment = ok(api.get("/audit-logs", params={"resource_type": "deployment",
                                                   "resource_id": "numbers-prod"}))["items"]
    assert [e["seq"] for e in deployment] == sorted(
        (e["seq"] for e in every if e["resource_type"] == "deployment"), reverse=True)
    pages, cursor = [], None
    for _ in range(30):
        page = ok(api.get("/audit-logs", params={"limit": 4, **({"cursor": cursor}
                                                                if cursor else {})}))
        pages += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == list(reversed(every))
    assert [e["seq"] for e in ok(api.get("/audit-logs", params={"actor": "system"}))[
        "items"]] == [1]
    middle = every[len(every) // 2]["at"]
    since = ok(api.get("/audit-logs", params={"since": middle, "limit": 1000}))["items"]
    until = ok(api.get("/audit-logs", params={"until": middle, "limit": 1000}))["items"]
    assert len(since) + len(until) == len(every) and all(e["at"] >= middle for e in since)
    assert ok(api.get("/audit-logs", params={"resource_type": "nothing"}))["items"] == []
    by_id = ok(api.get("/audit-logs", params={"resource_id": "numbers-prod"}))["items"]
    assert {e["resource_id"] for e in by_id} == {"numbers-prod"} and len(by_id) > 3
    assert ok(api.get("/audit-logs", params={"since": middle, "until": middle}))["items"] == []


@pytest.mark.parametrize("params", [
    {"since": "yesterday"}, {"until": "0.5"}, {"cursor": "garbage"}, {"cursor": "W1td"},
    {"limit": 0}, {"limit": 1001}, {"actor": ""}, {"resource_type": "x" * 301}])
def test_bad_list_queries_are_422(api, params):
    api.error(api.get("/audit-logs", params=params), 422)


@pytest.mark.parametrize("params", [{"after_seq": -1}, {"after_seq": 2**63},
                                    {"after_seq": "x"}, {"limit": 1001}, {"limit": 0}])
def test_bad_chain_queries_are_422(api, params):
    api.error(api.get("/audit-logs/chain", params=params), 422)


def test_a_developer_key_may_not_read_the_audit_log(api):
    key = ok(api.post("/api-keys", json={"name": "dev", "role": "developer"}), 201)["api_key"]
    for path in ("/audit-logs", "/audit-logs/chain"):
        api.error(api.client.get(path, headers={"Authorization": f"Bearer {key}"}), 403)


def test_orgs_see_only_their_own_log(api):
    from dagy.application.use_cases.accounts import bootstrap
    api.deploy()
    _, other = bootstrap(api.deps, "other")
    as_other = {"Authorization": f"Bearer {other}"}
    theirs = ok(api.client.get("/audit-logs/chain", headers=as_other))["items"]
    assert [e["action"] for e in theirs] == ["org.create"]
    assert ok(api.client.get("/audit-logs", headers=as_other,
                             params={"resource_type": "deployment"}))["items"] == []
