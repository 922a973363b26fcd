"""Organizations and members over the API, in memory, on SQLite and PostgreSQL: a person
creates an org (seeded environments, selected with X-Dagy-Org), members are listed,
re-roled and removed under may_grant and the last-owner rule, another org's ids answer
404, and bad bodies answer 4xx with nothing written."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from conftest import assert_error
from org_backends import BACKENDS, deps_on

from dagy.application.use_cases.passwords import set_initial_password

PASSWORD = "correct horse battery staple"


@pytest.fixture(params=BACKENDS)
def api(request, api_for, tmp_path):
    stack = ExitStack()
    request.addfinalizer(stack.close)
    harness = api_for(deps_on(request.param, tmp_path, stack))
    set_initial_password(harness.deps, "admin@localhost", PASSWORD)
    return harness


def bearer(token: str, org: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **({"X-Dagy-Org": org} if org else {})}


def login(api, email="admin@localhost", password=PASSWORD) -> str:
    answer = api.client.post("/auth/login", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def person(api, email: str, role: str) -> tuple[str, str]:
    """(user id, access token) of a new member of acme with `role`, invited and accepted."""
    org_id = api.get("/me").json()["org_id"]
    invited = api.post(f"/orgs/{org_id}/invitations", json={"email": email, "role": role})
    assert invited.status_code == 201, invited.text
    accepted = api.client.post(f"/invitations/{invited.json()['token']}/accept",
                               json={"password": PASSWORD})
    assert accepted.status_code == 200, accepted.text
    return accepted.json()["user_id"], login(api, email)


def rows(api) -> dict[str, int]:
    """The admin's orgs and each one's members and pending invitations (to show that
    nothing was written)."""
    with api.deps.uow() as uow:
        admin = uow.users.get_by_email("admin@localhost")
        now = api.deps.clock.now()
        return {m.org_id: (m.role, [(n.user_id, n.role) for n in uow.memberships.list(
                    m.org_id, limit=1000)[0]],
                           [i.invitation_id for i in uow.invitations.pending(
                               m.org_id, now, limit=1000)[0]])
                for m in uow.memberships.for_user(admin.user_id)}


def test_a_person_creates_an_org_and_selects_it_with_x_dagy_org(api):
    token = login(api)
    created = api.client.post("/orgs", json={"name": "data-team"}, headers=bearer(token))
    assert created.status_code == 201, created.text
    new = created.json()
    assert (new["name"], new["role"]) == ("data-team", "owner")
    listed = api.client.get("/orgs", headers=bearer(token)).json()["items"]
    assert [(o["name"], o["role"]) for o in listed] == [("acme", "owner"), ("data-team", "owner")]
    in_new = bearer(token, "data-team")
    assert api.client.get(f"/orgs/{new['org_id']}", headers=in_new).json()["name"] == "data-team"
    assert_error(api.client.get(f"/orgs/{new['org_id']}", headers=bearer(token)), 404,
                 "not_found")  # acme is selected: another org's id
    envs = api.client.get("/environments", headers=in_new).json()["items"]
    assert sorted(e["env_name"] for e in envs) == ["development", "production", "staging"]
    members = api.client.get(f"/orgs/{new['org_id']}/members", headers=in_new).json()
    assert [(m["email"], m["role"]) for m in members["items"]] == [("admin@localhost", "owner")]
    assert_error(api.client.post("/orgs", json={"name": "data-team"}, headers=bearer(token)),
                 409, "conflict")


def test_an_api_key_cannot_create_an_org_and_bad_names_write_nothing(api):
    before = rows(api)
    error = assert_error(api.post("/orgs", json={"name": "by-key"}), 403, "forbidden")
    assert "API key" in error["message"]
    token = login(api)
    for body in ({"name": "Not A Slug"}, {"name": ""}, {"name": "x" * 65}, {}, {"name": 3},
                 {"name": "ok", "extra": 1}, {"name": "-dash"}):
        assert_error(api.client.post("/orgs", json=body, headers=bearer(token)), 422, "invalid")
    assert rows(api) == before
    assert [o["name"] for o in api.get("/orgs").json()["items"]] == ["acme"]  # the key's own


def test_roles_change_under_may_grant_and_take_effect_on_the_next_request(api):
    org_id = api.get("/me").json()["org_id"]
    ann_id, ann = person(api, "ann@example.com", "admin")
    bob_id, bob = person(api, "bob@example.com", "viewer")
    owner_id = api.get("/me").json()["user_id"]
    assert api.client.get("/api-keys", headers=bearer(bob)).status_code == 403
    changed = api.client.patch(f"/orgs/{org_id}/members/{bob_id}", json={"role": "admin"},
                               headers=bearer(ann))
    assert changed.status_code == 200 and changed.json()["role"] == "admin", changed.text
    assert api.client.get("/api-keys", headers=bearer(bob)).status_code == 200
    assert api.client.get("/me", headers=bearer(bob)).json()["role"] == "admin"
    assert_error(api.client.patch(f"/orgs/{org_id}/members/{bob_id}", json={"role": "owner"},
                                  headers=bearer(ann)), 403, "forbidden")
    assert_error(api.client.patch(f"/orgs/{org_id}/members/{owner_id}",
                                  json={"role": "viewer"}, headers=bearer(ann)), 403)
    assert_error(api.call("PATCH", f"/orgs/{org_id}/members/nobody", json={"role": "viewer"}),
                 404, "not_found")
    for body in ({"role": "king"}, {}, {"role": "viewer", "x": 1}, {"role": 1}):
        assert_error(api.call("PATCH", f"/orgs/{org_id}/members/{ann_id}", json=body), 422)
    assert api.client.get("/me", headers=bearer(ann)).json()["role"] == "admin"


def test_the_last_owner_is_kept_with_a_clear_409(api):
    org_id, owner_id = (api.get("/me").json()[k] for k in ("org_id", "user_id"))
    ann_id, ann = person(api, "ann@example.com", "admin")
    owner = login(api)
    demote = assert_error(api.client.patch(f"/orgs/{org_id}/members/{owner_id}",
                                           json={"role": "admin"}, headers=bearer(owner)),
                          409, "conflict")
    assert "last owner" in demote["message"]
    leave = assert_error(api.client.delete(f"/orgs/{org_id}/members/{owner_id}",
                                           headers=bearer(owner)), 409, "conflict")
    assert "last owner" in leave["message"]
    assert api.call("PATCH", f"/orgs/{org_id}/members/{ann_id}",
                    json={"role": "owner"}).status_code == 200
    assert api.client.delete(f"/orgs/{org_id}/members/{owner_id}",
                             headers=bearer(owner)).status_code == 204  # now it may leave
    assert_error(api.client.get("/me", headers=bearer(owner)), 404, "not_found")
    assert [m["email"] for m in api.client.get(f"/orgs/{org_id}/members",
                                               headers=bearer(ann)).json()["items"]] == [
        "ann@example.com"]


def test_a_removed_member_is_refused_at_once_and_anyone_may_leave(api):
    org_id = api.get("/me").json()["org_id"]
    ann_id, ann = person(api, "ann@example.com", "developer")
    bob_id, bob = person(api, "bob@example.com", "viewer")
    assert_error(api.client.delete(f"/orgs/{org_id}/members/{ann_id}", headers=bearer(bob)),
                 403, "forbidden")  # a viewer removes nobody else
    assert api.call("DELETE", f"/orgs/{org_id}/members/{ann_id}").status_code == 204
    assert_error(api.client.get("/runs", headers=bearer(ann)), 404, "not_found")
    assert_error(api.call("DELETE", f"/orgs/{org_id}/members/{ann_id}"), 404, "not_found")
    assert api.client.delete(f"/orgs/{org_id}/members/{bob_id}",
                             headers=bearer(bob)).status_code == 204
    assert_error(api.client.get("/me", headers=bearer(bob)), 404)


def test_members_are_paginated(api):
    org_id = api.get("/me").json()["org_id"]
    for n in range(3):
        person(api, f"p{n}@example.com", "viewer")
    first = api.get(f"/orgs/{org_id}/members", params={"limit": 2}).json()
    rest = api.get(f"/orgs/{org_id}/members",
                   params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [m["email"] for m in first["items"] + rest["items"]] == [
        "admin@localhost", "p0@example.com", "p1@example.com", "p2@example.com"]
    assert rest["next_cursor"] is None
    assert_error(api.get(f"/orgs/{org_id}/members", params={"cursor": "garbage"}), 422)


def test_another_orgs_ids_answer_404_for_every_org_route(api):
    token = login(api)
    other = api.client.post("/orgs", json={"name": "other"}, headers=bearer(token)).json()
    in_other = bearer(token, "other")
    invitation = api.client.post(f"/orgs/{other['org_id']}/invitations", headers=in_other,
                                 json={"email": "z@example.com", "role": "viewer"}).json()
    owner_id = api.get("/me").json()["user_id"]
    before = rows(api)
    base = f"/orgs/{other['org_id']}"
    for method, path, body in (
            ("GET", base, None), ("GET", f"{base}/members", None),
            ("PATCH", f"{base}/members/{owner_id}", {"role": "viewer"}),
            ("DELETE", f"{base}/members/{owner_id}", None),
            ("GET", f"{base}/invitations", None),
            ("POST", f"{base}/invitations", {"email": "y@example.com", "role": "viewer"}),
            ("DELETE", f"{base}/invitations/{invitation['invitation_id']}", None)):
        for headers in (api.auth, bearer(token)):  # acme's key; the person acting in acme
            answer = api.client.request(method, path, headers=headers,
                                        **({"json": body} if body else {}))
            assert_error(answer, 404, "not_found")
    assert rows(api) == before
    pending = api.client.get(f"{base}/invitations", headers=in_other).json()["items"]
    assert [i["email"] for i in pending] == ["z@example.com"]
