"""Deployments in environments over the API: deploying into a protected environment
needs admin, promotion copies a deployment (same flow version) into another environment
and moves it on when promoted again, and an API key limited to some environments
cannot deploy, promote or trigger runs outside them."""

from __future__ import annotations

import pytest
from conftest import assert_error


def _key(api, role: str, environments: list[str] | None = None) -> dict[str, str]:
    body = {"name": f"{role}-key", "role": role}
    if environments is not None:
        body["environments"] = environments
    made = api.post("/api-keys", json=body)
    assert made.status_code == 201, made.text
    return {"Authorization": f"Bearer {made.json()['api_key']}"}


def _deployments(api) -> dict[str, dict]:
    return {d["deployment_name"]: d for d in api.get("/deployments").json()["items"]}


@pytest.fixture
def deployed(api):
    api.deploy(deployment="numbers")
    changed = api.call("PATCH", "/deployments/numbers", json={
        "parameters": {"n": 4}, "default_runtime_tier": "small", "tags": {"team": "data"},
        "schedule": "*/5 * * * *"})
    assert changed.status_code == 200, changed.text
    return api


def test_a_deployment_is_in_development_unless_told(deployed):
    numbers = deployed.get("/deployments/numbers").json()
    assert (numbers["environment"], numbers["promoted_from"]) == ("development", None)
    assert_error(deployed.post("/deployments", json={
        "deployment_name": "numbers", "flow_name": "numbers", "environment": "staging"}),
        409, "conflict")
    assert_error(deployed.post("/deployments", json={
        "deployment_name": "x", "flow_name": "numbers", "environment": "nowhere"}),
        404, "not_found")
    assert_error(deployed.post("/deployments", json={
        "deployment_name": "x", "flow_name": "numbers", "environment": "Bad Name"}), 422)
    assert set(_deployments(deployed)) == {"numbers"}


def test_a_developer_cannot_deploy_to_production_an_admin_can(deployed):
    developer, admin = _key(deployed, "developer"), _key(deployed, "admin")
    body = {"deployment_name": "numbers-live", "flow_name": "numbers",
            "environment": "production"}
    refused = assert_error(deployed.client.post("/deployments", json=body, headers=developer),
                           403, "forbidden")
    assert "protected" in refused["message"]
    assert "numbers-live" not in _deployments(deployed)
    made = deployed.client.post("/deployments", json=body, headers=admin)
    assert made.status_code == 201 and made.json()["environment"] == "production"
    # changing or removing it is deploying too; pausing it is an operator's
    for method, path, changes in (("PATCH", "/deployments/numbers-live", {"parameters": {}}),
                                  ("DELETE", "/deployments/numbers-live", None),
                                  ("POST", "/deployments", body)):
        assert_error(deployed.client.request(method, path, json=changes, headers=developer),
                     403, "forbidden")
    assert deployed.client.post("/deployments/numbers-live/pause",
                                headers=developer).status_code == 200
    assert deployed.client.post("/deployments", json={
        "deployment_name": "numbers-dev", "flow_name": "numbers"},
        headers=developer).status_code == 201


def test_promote_copies_the_version_and_settings_but_not_the_schedule(deployed):
    promoted = deployed.post("/deployments/numbers/promote",
                             json={"to_environment": "production"})
    assert promoted.status_code == 201, promoted.text
    body = promoted.json()
    assert body == {**body, "deployment_name": "numbers-production", "environment": "production",
                    "flow_name": "numbers", "flow_version": "1.0.0", "parameters": {"n": 4},
                    "default_runtime_tier": "small", "tags": {"team": "data"},
                    "schedule": None, "promoted_from": "numbers", "created": True,
                    "source": "numbers"}
    schedules = deployed.get("/schedules").json()["items"]
    assert [s["deployment_name"] for s in schedules] == ["numbers"]
    run = deployed.trigger("numbers-production")
    assert run["flow_version"] == "1.0.0" and run["parameters"] == {"n": 4}


def test_promoting_again_moves_the_same_target_to_the_new_version(deployed):
    assert deployed.post("/deployments/numbers/promote",
                         json={"to_environment": "staging"}).status_code == 201
    deployed.deploy(deployment="numbers", version="2.0.0")
    assert deployed.get("/deployments/numbers").json()["flow_version"] == "2.0.0"
    again = deployed.post("/deployments/numbers/promote", json={"to_environment": "staging"})
    assert again.status_code == 200, again.text
    assert (again.json()["deployment_name"], again.json()["flow_version"],
            again.json()["created"]) == ("numbers-staging", "2.0.0", False)
    named = deployed.post("/deployments/numbers/promote",
                          json={"to_environment": "staging", "name": "numbers-qa"})
    assert named.status_code == 201 and named.json()["deployment_name"] == "numbers-qa"
    assert {n: d["environment"] for n, d in _deployments(deployed).items()} == {
        "numbers": "development", "numbers-staging": "staging", "numbers-qa": "staging"}
    # chained: staging's copy promoted on to production
    chained = deployed.post("/deployments/numbers-staging/promote",
                            json={"to_environment": "production"})
    assert chained.json()["deployment_name"] == "numbers-staging-production"
    assert chained.json()["flow_version"] == "2.0.0"


def test_promote_refuses_bad_requests_and_writes_nothing(deployed):
    before = _deployments(deployed)
    for body in ({}, {"to_environment": "Production"}, {"to_environment": ""},
                 {"to_environment": "staging", "extra": 1}, {"to_environment": 3},
                 {"to_environment": "staging", "name": "a/b"},
                 {"to_environment": "development"}):
        assert_error(deployed.post("/deployments/numbers/promote", json=body), 422)
    assert_error(deployed.post("/deployments/numbers/promote",
                               json={"to_environment": "nowhere"}), 404, "not_found")
    assert_error(deployed.post("/deployments/ghost/promote",
                               json={"to_environment": "staging"}), 404, "not_found")
    # a target of another flow, or in another environment, is refused
    deployed.deploy(deployment="other", flow_name="other")
    assert_error(deployed.post("/deployments/numbers/promote",
                               json={"to_environment": "staging", "name": "other"}),
                 409, "conflict")
    assert set(_deployments(deployed)) == set(before) | {"other"}


def test_a_developer_promotes_to_staging_but_not_to_production(deployed):
    developer = _key(deployed, "developer")
    assert_error(deployed.client.post("/deployments/numbers/promote",
                                      json={"to_environment": "production"},
                                      headers=developer), 403, "forbidden")
    assert deployed.client.post("/deployments/numbers/promote",
                                json={"to_environment": "staging"},
                                headers=developer).status_code == 201
    assert "numbers-production" not in _deployments(deployed)


def test_a_key_limited_to_staging_acts_only_in_staging(deployed):
    assert deployed.post("/deployments/numbers/promote",
                         json={"to_environment": "production"}).status_code == 201
    assert deployed.post("/deployments/numbers/promote",
                         json={"to_environment": "staging"}).status_code == 201
    scoped = _key(deployed, "admin", ["staging"])
    refused = assert_error(deployed.client.post(
        "/runs", json={"deployment_name": "numbers-production"}, headers=scoped),
        403, "forbidden")
    assert "staging" in refused["message"]
    assert deployed.client.post("/runs", json={"deployment_name": "numbers-staging"},
                                headers=scoped).status_code == 202
    assert_error(deployed.client.post("/deployments/numbers-staging/promote",
                                      json={"to_environment": "production"},
                                      headers=scoped), 403, "forbidden")
    assert_error(deployed.client.post("/deployments", json={
        "deployment_name": "mine", "flow_name": "numbers"}, headers=scoped), 403, "forbidden")
    assert deployed.client.post("/deployments", json={
        "deployment_name": "mine", "flow_name": "numbers", "environment": "staging"},
        headers=scoped).status_code == 201
    runs = deployed.get("/runs").json()["items"]
    assert [r["deployment_name"] for r in runs] == ["numbers-staging"]
    # a schedule or a sensor would trigger runs there later: refused as well
    for path, body in (("/schedules", {"deployment_name": "numbers-production", "mode": "cron",
                                       "cron_expression": "0 3 * * *"}),
                       ("/sensors", {"name": "hook", "sensor_type": "webhook",
                                     "deployment_name": "numbers-production"})):
        assert_error(deployed.client.post(path, json=body, headers=scoped), 403, "forbidden")
    assert deployed.client.post("/schedules", json={
        "deployment_name": "numbers-staging", "mode": "cron", "cron_expression": "0 3 * * *"},
        headers=scoped).status_code == 201
    assert [s["deployment_name"] for s in deployed.get("/schedules").json()["items"]
            if s["deployment_name"] != "numbers"] == ["numbers-staging"]
    assert deployed.get("/sensors").json()["items"] == []


def test_another_orgs_deployment_cannot_be_promoted(deployed):
    from dagy.application.use_cases.accounts import bootstrap
    _, other = bootstrap(deployed.deps, "other-org")
    theirs = {"Authorization": f"Bearer {other}"}
    assert_error(deployed.client.post("/deployments/numbers/promote",
                                      json={"to_environment": "staging"}, headers=theirs),
                 404, "not_found")
    assert set(_deployments(deployed)) == {"numbers"}


def test_a_promotion_is_audited_with_where_it_came_from(deployed):
    deployed.post("/deployments/numbers/promote", json={"to_environment": "staging"})
    deployed.deploy(deployment="numbers", version="2.0.0")
    deployed.post("/deployments/numbers/promote", json={"to_environment": "staging"})
    with deployed.deps.uow() as uow:
        org = uow.orgs.get_by_name("acme").org_id
        entries, _ = uow.audit_logs.list(org, resource_type="deployment",
                                         resource_id="numbers-staging")
    promotions = [e for e in reversed(entries) if e.action == "deployment.promote"]
    assert [(e.before and e.before["flow_version"], e.after["flow_version"],
             e.after["source"]) for e in promotions] == [
        (None, "1.0.0", "numbers"), ("1.0.0", "2.0.0", "numbers")]


def test_runs_take_the_environments_defaults_where_the_deployment_sets_none(api):
    def run_of(**body):
        made = api.trigger("plain", parameters={"n": 1}, **body)
        return api.get(f"/runs/{made['run_id']}").json()

    api.deploy(deployment="plain")
    assert api.call("PATCH", "/environments/development", json={
        "default_runtime_tier": "large", "default_executor": "local"}).status_code == 200
    inherited = run_of()
    assert (inherited["runtime_tier"], inherited["executor"]) == ("large", "local")
    assert run_of(runtime_tier="nano")["runtime_tier"] == "nano"  # the trigger's own first
    api.call("PATCH", "/deployments/plain", json={"default_runtime_tier": "small"})
    assert run_of()["runtime_tier"] == "small"  # then the deployment's, then the environment's
    api.call("PATCH", "/environments/development", json={"default_runtime_tier": None,
                                                         "default_executor": None})
    api.call("PATCH", "/deployments/plain", json={"default_runtime_tier": None})
    assert run_of()["runtime_tier"] is None


def test_a_key_limited_to_staging_cannot_cancel_or_retry_runs_elsewhere(deployed):
    for environment in ("production", "staging"):
        assert deployed.post("/deployments/numbers/promote",
                             json={"to_environment": environment}).status_code == 201
    scoped = _key(deployed, "operator", ["staging"])
    theirs = deployed.trigger("numbers-production")["run_id"]
    mine = deployed.trigger("numbers-staging")["run_id"]
    for action in ("cancel", "retry"):
        assert_error(deployed.client.post(f"/runs/{theirs}/{action}", headers=scoped),
                     403, "forbidden")
    assert deployed.get(f"/runs/{theirs}").json()["status"] == "QUEUED"
    assert deployed.client.post(f"/runs/{mine}/cancel", headers=scoped).status_code == 200
    assert deployed.client.post(f"/runs/{mine}/retry", headers=scoped).status_code in (200, 202)
    assert deployed.client.get(f"/runs/{theirs}", headers=scoped).status_code == 200  # reads
