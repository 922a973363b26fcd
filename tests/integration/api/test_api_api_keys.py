"""API keys over the API: made with a role no higher than the caller's, listed without
secrets, revoked at once; GET /me says who the caller is."""

from __future__ import annotations

from conftest import assert_error


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_key_is_made_listed_without_its_secret_used_and_revoked_at_once(api):
    made = api.post("/api-keys", json={"name": "ci", "role": "operator",
                                       "environments": ["staging"]})
    assert made.status_code == 201, made.text
    body = made.json()
    secret = body["api_key"]
    assert secret.startswith(f"dagy_{body['prefix']}_") and body["role"] == "operator"
    me = api.client.get("/me", headers=_bearer(secret)).json()
    assert me["role"] == "operator" and me["key_id"] == body["key_id"]
    assert "runs:trigger" in me["permissions"] and "flows:deploy" not in me["permissions"]
    listed = api.get("/api-keys").json()["items"]
    assert [k["name"] for k in listed][:1] == ["ci"] and all("api_key" not in k for k in listed)
    assert secret not in api.get("/api-keys").text
    # the operator may not make keys, nor deploy
    assert_error(api.client.post("/api-keys", json={"name": "x"}, headers=_bearer(secret)),
                 403, "forbidden")
    assert api.call("DELETE", f"/api-keys/{body['key_id']}").status_code == 204
    assert_error(api.client.get("/runs", headers=_bearer(secret)), 401, "unauthenticated")
    assert api.call("DELETE", f"/api-keys/{body['key_id']}").status_code == 204  # again: no-op
    revoked = [k for k in api.get("/api-keys").json()["items"] if k["key_id"] == body["key_id"]]
    assert revoked[0]["revoked"] is True


def test_bad_key_requests_are_4xx_and_make_nothing(api):
    before = len(api.get("/api-keys").json()["items"])
    for bad in ({"name": ""}, {"name": "x", "role": "root"}, {"name": "x", "extra": 1},
                {"name": "x", "expires_at": "2020-01-01T00:00:00Z"},
                {"name": "x", "expires_at": "tomorrow"}, {"name": "x", "environments": [""]},
                {"name": "x", "expires_at": "2030-01-01T00:00:00"},  # no time zone
                {"name": "x" * 300}):
        assert_error(api.post("/api-keys", json=bad), 422)
    assert_error(api.call("DELETE", "/api-keys/does-not-exist"), 404, "not_found")
    assert len(api.get("/api-keys").json()["items"]) == before


def test_another_orgs_key_cannot_be_seen_or_revoked(api):
    from dagy.application.use_cases.accounts import bootstrap
    _, other = bootstrap(api.deps, "other-org")
    theirs = api.client.get("/api-keys", headers=_bearer(other)).json()["items"]
    assert len(theirs) == 1
    assert_error(api.call("DELETE", f"/api-keys/{theirs[0]['key_id']}"), 404, "not_found")
    assert api.client.get("/me", headers=_bearer(other)).json()["org_name"] == "other-org"
    ours = {k["key_id"] for k in api.get("/api-keys").json()["items"]}
    assert theirs[0]["key_id"] not in ours
