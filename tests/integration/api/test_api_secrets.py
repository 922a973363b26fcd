"""Secrets over the API: PUT creates then replaces, answers are metadata only, scopes
(org-wide and per environment) are separate, environment rules (unknown: 404, protected:
admin, API key scope), bad input 4xx with nothing written, roles below developer denied,
another org's secrets 404, and audit entries without the value."""

from __future__ import annotations

import json

import pytest
from conftest import assert_error, make_deps

VALUE = "hunter2-correct-horse"
META = {"name", "environment", "created_at", "updated_at", "created_by", "updated_by"}


def _key(api, role: str, environments: list[str] | None = None) -> dict[str, str]:
    body = {"name": f"{role}-key", "role": role}
    if environments is not None:
        body["environments"] = environments
    made = api.post("/api-keys", json=body)
    assert made.status_code == 201, made.text
    return {"Authorization": f"Bearer {made.json()['api_key']}"}


def _stored(api) -> list:
    org = _org(api)  # before the unit of work: the in-memory store is not re-entrant
    with api.deps.uow() as uow:
        return uow.secrets.list(org, limit=100)[0]


def _org(api) -> str:
    return api.get("/me").json()["org_id"]


def test_put_creates_then_replaces_and_never_answers_the_value(api):
    made = api.call("PUT", "/secrets/DB_PASSWORD", json={"value": VALUE})
    assert made.status_code == 201, made.text
    assert set(made.json()) == META and VALUE not in made.text
    assert made.json()["environment"] is None and made.json()["created_at"].endswith("Z")
    again = api.call("PUT", "/secrets/DB_PASSWORD", json={"value": VALUE + "-2"})
    assert again.status_code == 200, again.text
    assert again.json()["created_at"] == made.json()["created_at"]
    assert again.json()["updated_at"] >= made.json()["updated_at"]
    for response in (api.get("/secrets"), api.get("/secrets/DB_PASSWORD")):
        assert response.status_code == 200 and VALUE not in response.text
    listed = api.get("/secrets").json()
    assert [s["name"] for s in listed["items"]] == ["DB_PASSWORD"]
    assert set(listed["items"][0]) == META and listed["next_cursor"] is None
    [row] = _stored(api)
    assert VALUE not in row.encrypted_value
    assert api.deps.secret_keyring.decrypt(row.encrypted_value) == VALUE + "-2"


def test_scopes_are_separate_and_filtered_by_environment(api):
    assert api.call("PUT", "/secrets/TOKEN", json={"value": "wide"}).status_code == 201
    scoped = api.call("PUT", "/secrets/TOKEN", json={"value": "stage", "environment": "staging"})
    assert scoped.status_code == 201 and scoped.json()["environment"] == "staging"
    by_query = api.call("PUT", "/secrets/OTHER", params={"environment": "staging"},
                        json={"value": "x"})
    assert by_query.status_code == 201 and by_query.json()["environment"] == "staging"
    assert [(s["name"], s["environment"]) for s in api.get("/secrets").json()["items"]] == [
        ("TOKEN", None), ("TOKEN", "staging"), ("OTHER", "staging")]
    staged = api.get("/secrets", params={"environment": "staging"}).json()["items"]
    assert [s["name"] for s in staged] == ["TOKEN", "OTHER"]
    assert api.get("/secrets/TOKEN", params={"environment": "staging"}).json()[
        "environment"] == "staging"
    assert_error(api.get("/secrets/OTHER"), 404, "not_found")  # no org-wide OTHER
    assert api.call("DELETE", "/secrets/TOKEN", params={"environment": "staging"}
                    ).status_code == 204
    assert api.get("/secrets/TOKEN").status_code == 200
    assert_error(api.get("/secrets/TOKEN", params={"environment": "staging"}), 404)
    assert api.call("DELETE", "/secrets/TOKEN").status_code == 204
    assert_error(api.call("DELETE", "/secrets/TOKEN"), 404, "not_found")


def test_pages(api):
    for i in range(5):
        assert api.call("PUT", f"/secrets/S{i}", json={"value": "v"}).status_code == 201
    names, cursor = [], None
    for _ in range(5):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = api.get("/secrets", params=params).json()
        names += [s["name"] for s in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert names == [f"S{i}" for i in range(5)]
    assert_error(api.get("/secrets", params={"cursor": "garbage"}), 422)


@pytest.mark.parametrize("name", ["1ABC", "A-B", "A B", "A.B", "x" * 129, "É"])
def test_bad_names_are_422_and_nothing_is_written(api, name):
    assert_error(api.call("PUT", f"/secrets/{name}", json={"value": VALUE}), 422, "invalid")
    assert_error(api.get(f"/secrets/{name}"), 422)
    assert _stored(api) == []


@pytest.mark.parametrize("body", [
    {}, {"value": ""}, {"value": 5}, {"value": None}, {"value": ["x"]},
    {"value": "x" * (64 * 1024 + 1)}, {"value": "é" * (32 * 1024 + 1)},
    {"value": "x", "extra": 1}, {"value": "x", "environment": "Bad Env"},
    {"value": "x", "environment": 3}, {"value": "x", "environment": "x" * 65},
])
def test_bad_bodies_are_422_and_nothing_is_written(api, body):
    error = assert_error(api.call("PUT", "/secrets/GOOD", json=body), 422, "invalid")
    assert "x" * 1000 not in json.dumps(error["message"])
    assert _stored(api) == []


def test_unknown_environment_is_404_and_conflicting_scopes_422(api):
    assert_error(api.call("PUT", "/secrets/A", json={"value": "x", "environment": "nope"}),
                 404, "not_found")
    assert_error(api.get("/secrets", params={"environment": "nope"}), 404)
    assert_error(api.call("PUT", "/secrets/A", params={"environment": "staging"},
                          json={"value": "x", "environment": "development"}), 422)
    assert _stored(api) == []


def test_a_value_of_the_maximum_size_is_kept(api):
    big = "é" * (32 * 1024)  # 65,536 UTF-8 bytes
    assert api.call("PUT", "/secrets/BIG", json={"value": big}).status_code == 201
    [row] = _stored(api)
    assert api.deps.secret_keyring.decrypt(row.encrypted_value) == big


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_roles_below_developer_are_denied(api, role):
    api.call("PUT", "/secrets/A", json={"value": "x"})
    headers = _key(api, role)
    for method, path, body in (("PUT", "/secrets/A", {"value": "y"}), ("GET", "/secrets", None),
                               ("GET", "/secrets/A", None), ("DELETE", "/secrets/A", None)):
        assert_error(api.client.request(method, path, headers=headers, json=body), 403,
                     "forbidden")
    [row] = _stored(api)
    assert api.deps.secret_keyring.decrypt(row.encrypted_value) == "x"


def test_production_secrets_need_admin(api):
    developer = _key(api, "developer")
    assert_error(api.client.put("/secrets/A", headers=developer,
                                json={"value": "x", "environment": "production"}), 403)
    assert api.client.put("/secrets/A", headers=developer,
                          json={"value": "x", "environment": "staging"}).status_code == 201
    assert api.call("PUT", "/secrets/A", json={"value": "x", "environment": "production"}
                    ).status_code == 201  # the owner
    assert api.client.get("/secrets/A", headers=developer,
                          params={"environment": "production"}).status_code == 200
    assert_error(api.client.delete("/secrets/A", headers=developer,
                                   params={"environment": "production"}), 403)
    assert api.get("/secrets/A", params={"environment": "production"}).status_code == 200


def test_an_environment_limited_key_touches_only_its_environments(api):
    limited = _key(api, "developer", ["staging"])
    assert api.client.put("/secrets/A", headers=limited,
                          json={"value": "x", "environment": "staging"}).status_code == 201
    assert_error(api.client.put("/secrets/A", headers=limited,
                                json={"value": "x", "environment": "development"}), 403)
    assert_error(api.client.put("/secrets/A", headers=limited, json={"value": "x"}), 403)
    assert_error(api.client.get("/secrets", headers=limited,
                                params={"environment": "development"}), 403)
    assert [(s.secret_name, s.environment) for s in _stored(api)] == [("A", "staging")]
    api.call("PUT", "/secrets/B", json={"value": "x", "environment": "development"})
    api.call("PUT", "/secrets/C", json={"value": "x"})
    seen = api.client.get("/secrets", headers=limited).json()["items"]
    assert [(s["name"], s["environment"]) for s in seen] == [("A", "staging"), ("C", None)]
    assert api.client.get("/secrets/C", headers=limited).status_code == 200
    assert_error(api.client.get("/secrets/B", headers=limited,
                                params={"environment": "development"}), 403)


def test_another_orgs_secrets_are_404(api):
    from dagy.application.use_cases.accounts import bootstrap
    api.call("PUT", "/secrets/A", json={"value": VALUE})
    _, other = bootstrap(api.deps, "other-org")
    theirs = {"Authorization": f"Bearer {other}"}
    assert api.client.get("/secrets", headers=theirs).json()["items"] == []
    assert_error(api.client.get("/secrets/A", headers=theirs), 404, "not_found")
    assert_error(api.client.delete("/secrets/A", headers=theirs), 404, "not_found")
    made = api.client.put("/secrets/A", headers=theirs, json={"value": "theirs"})
    assert made.status_code == 201  # their own A, not ours
    [ours] = _stored(api)
    assert api.deps.secret_keyring.decrypt(ours.encrypted_value) == VALUE


def test_changes_are_audited_without_the_value(api):
    api.call("PUT", "/secrets/A", json={"value": VALUE, "environment": "staging"})
    api.call("PUT", "/secrets/A", json={"value": VALUE + "x", "environment": "staging"})
    api.call("DELETE", "/secrets/A", params={"environment": "staging"})
    org = _org(api)
    with api.deps.uow() as uow:
        entries = list(uow.audit_logs.in_order(org))
    mine = [e for e in entries if e.resource_type == "secret"]
    assert [e.action for e in mine] == ["secret.set", "secret.set", "secret.delete"]
    assert mine[0].before is None and mine[0].after["environment"] == "staging"
    assert mine[1].before["name"] == "A" and mine[2].after is None
    dumped = json.dumps([[e.before, e.after] for e in mine], default=str)
    assert VALUE not in dumped and "fernet1" not in dumped


def test_without_secret_keys_secrets_are_refused_naming_the_variable(tmp_path, api_for):
    deps = make_deps(tmp_path)
    deps.secret_keyring = None  # PostgreSQL without DAGY_SECRET_KEYS
    api = api_for(deps)
    refused = api.call("PUT", "/secrets/A", json={"value": "x"})
    assert refused.status_code == 503, refused.text
    assert refused.json()["error"]["code"] == "unavailable"
    assert "DAGY_SECRET_KEYS" in refused.json()["error"]["message"]
    assert _stored(api) == []
