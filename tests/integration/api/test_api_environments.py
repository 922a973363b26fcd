"""Environments over the API: the seeded three, CRUD with its protections, bad bodies
refused with nothing written, and another org's environments invisible (404)."""

from __future__ import annotations

import pytest
from conftest import assert_error

SEEDED = [("development", False), ("staging", False), ("production", True)]


def _names(api, headers=None) -> list[tuple[str, bool]]:
    response = api.client.get("/environments", headers=headers or api.auth)
    assert response.status_code == 200, response.text
    return [(e["env_name"], e["is_protected"]) for e in response.json()["items"]]


def _key(api, role: str, environments: list[str] | None = None) -> dict[str, str]:
    body = {"name": f"{role}-key", "role": role}
    if environments is not None:
        body["environments"] = environments
    made = api.post("/api-keys", json=body)
    assert made.status_code == 201, made.text
    return {"Authorization": f"Bearer {made.json()['api_key']}"}


def test_an_org_starts_with_development_staging_and_production(api):
    assert _names(api) == SEEDED
    production = api.get("/environments/production").json()
    assert production == {**production, "env_name": "production", "is_protected": True,
                          "default_executor": None, "default_runtime_tier": None,
                          "config_json": {}}
    assert production["created_at"].endswith("Z")


def test_create_read_update_delete(api):
    made = api.post("/environments", json={
        "env_name": "qa", "default_executor": "ecs", "default_runtime_tier": "small",
        "config_json": {"region": "eu-west-1", "replicas": [1, 2]}})
    assert made.status_code == 201, made.text
    assert made.json()["config_json"] == {"region": "eu-west-1", "replicas": [1, 2]}
    assert _names(api) == SEEDED + [("qa", False)]
    changed = api.call("PATCH", "/environments/qa", json={"default_runtime_tier": "large",
                                                          "default_executor": None})
    assert changed.status_code == 200, changed.text
    got = api.get("/environments/qa").json()
    assert (got["default_runtime_tier"], got["default_executor"], got["config_json"]) == (
        "large", None, {"region": "eu-west-1", "replicas": [1, 2]})
    assert_error(api.post("/environments", json={"env_name": "qa"}), 409, "conflict")
    assert api.call("DELETE", "/environments/qa").status_code == 204
    assert_error(api.get("/environments/qa"), 404, "not_found")
    assert_error(api.call("DELETE", "/environments/qa"), 404, "not_found")


@pytest.mark.parametrize("body", [
    {}, {"env_name": ""}, {"env_name": "QA"}, {"env_name": "-qa"}, {"env_name": "qa-"},
    {"env_name": "q a"}, {"env_name": "q/a"}, {"env_name": "x" * 65}, {"env_name": 5},
    {"env_name": "qa", "extra": 1}, {"env_name": "qa", "is_protected": "yes"},
    {"env_name": "qa", "default_runtime_tier": "huge"},
    {"env_name": "qa", "default_executor": ""}, {"env_name": "qa", "default_executor": "x" * 65},
    {"env_name": "qa", "config_json": []}, {"env_name": "qa", "config_json": "text"},
    {"env_name": "qa", "config_json": {"big": "x" * 70_000}},
    {"env_name": "qa", "config_json": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {
        "i": {"j": {"k": {"l": {"m": {"n": {"o": {"p": {"q": 1}}}}}}}}}}}}}}}}}},
])
def test_bad_bodies_are_422_and_write_nothing(api, body):
    assert_error(api.post("/environments", json=body), 422)
    assert _names(api) == SEEDED


@pytest.mark.parametrize("changes", [
    {"env_name": "other"}, {"is_protected": None}, {"default_runtime_tier": "huge"},
    {"config_json": [1]}, {"unknown": True}])
def test_bad_changes_are_422_and_change_nothing(api, changes):
    before = api.get("/environments/staging").json()
    assert_error(api.call("PATCH", "/environments/staging", json=changes), 422)
    assert api.get("/environments/staging").json() == before


def test_a_protected_environment_cannot_be_deleted_until_unprotected(api):
    refused = assert_error(api.call("DELETE", "/environments/production"), 409, "conflict")
    assert "protected" in refused["message"]
    assert _names(api) == SEEDED
    assert api.call("PATCH", "/environments/production",
                    json={"is_protected": False}).status_code == 200
    assert api.call("DELETE", "/environments/production").status_code == 204
    assert _names(api) == SEEDED[:2]


def test_an_environment_that_deployments_use_cannot_be_deleted(api):
    api.deploy(deployment="one")
    created = api.post("/deployments", json={"deployment_name": "two", "flow_name": "numbers",
                                             "environment": "staging"})
    assert created.status_code == 201, created.text
    assert created.json()["environment"] == "staging"
    refused = assert_error(api.call("DELETE", "/environments/development"), 409, "conflict")
    assert "1 deployment belongs" in refused["message"]
    api.post("/deployments", json={"deployment_name": "three", "flow_name": "numbers",
                                   "environment": "staging"})
    refused = assert_error(api.call("DELETE", "/environments/staging"), 409, "conflict")
    assert "2 deployments belong" in refused["message"]
    assert api.call("DELETE", "/deployments/one").status_code == 204
    assert api.call("DELETE", "/environments/development").status_code == 204


def test_only_an_admin_changes_environments_and_a_scoped_key_only_its_own(api):
    developer, admin = _key(api, "developer"), _key(api, "admin")
    assert _names(api, developer) == SEEDED  # everyone may read them
    assert_error(api.client.post("/environments", json={"env_name": "qa"}, headers=developer),
                 403, "forbidden")
    assert_error(api.client.patch("/environments/production", json={"config_json": {}},
                                  headers=developer), 403, "forbidden")
    assert api.client.post("/environments", json={"env_name": "qa", "is_protected": True},
                           headers=admin).status_code == 201
    scoped = _key(api, "admin", ["staging"])
    assert_error(api.client.patch("/environments/qa", json={"config_json": {"a": 1}},
                                  headers=scoped), 403, "forbidden")
    assert api.client.patch("/environments/staging", json={"config_json": {"a": 1}},
                            headers=scoped).status_code == 200
    assert api.get("/environments/qa").json()["config_json"] == {}


def test_another_orgs_environments_are_404(api):
    from dagy.application.use_cases.accounts import bootstrap
    _, other = bootstrap(api.deps, "other-org")
    theirs = {"Authorization": f"Bearer {other}"}
    assert api.client.post("/environments", json={"env_name": "theirs"},
                           headers=theirs).status_code == 201
    for method, body in (("GET", None), ("PATCH", {"config_json": {"x": 1}}),
                         ("DELETE", None)):
        assert_error(api.call(method, "/environments/theirs", json=body), 404, "not_found")
    assert "theirs" not in [name for name, _ in _names(api)]
    assert api.client.get("/environments/theirs", headers=theirs).json()["config_json"] == {}


def test_every_change_is_audited_and_a_refused_one_is_not(api):
    assert api.post("/environments", json={"env_name": "qa"}).status_code == 201
    api.call("PATCH", "/environments/qa", json={"config_json": {"region": "eu",
                                                                "password": "hunter2"}})
    api.call("DELETE", "/environments/production")  # 409: nothing to record
    assert api.call("DELETE", "/environments/qa").status_code == 204
    with api.deps.uow() as uow:
        org = uow.orgs.get_by_name("acme").org_id
        entries, _ = uow.audit_logs.list(org, resource_type="environment")
    assert [(e.action, e.resource_id) for e in reversed(entries)] == [
        ("environment.create", "qa"), ("environment.update", "qa"),
        ("environment.delete", "qa")]
    update = [e for e in entries if e.action == "environment.update"][0]
    assert update.before["config_json"] == {}
    assert update.after["config_json"]["region"] == "eu"
    assert "hunter2" not in str(update.after)  # secret-looking keys are redacted
    assert update.actor.startswith("key:")


def test_a_key_names_only_environments_the_org_has(api):
    before = len(api.get("/api-keys").json()["items"])
    refused = assert_error(api.post("/api-keys", json={"name": "ci", "environments": ["prod"]}),
                           404, "not_found")
    assert "'prod'" in refused["message"]
    assert len(api.get("/api-keys").json()["items"]) == before
    made = api.post("/api-keys", json={"name": "ci", "environments": ["staging", "production"]})
    assert made.status_code == 201 and made.json()["environments"] == ["production", "staging"]
