"""Invitations over the API, in memory, on SQLite and PostgreSQL: the token answered once,
pending lists without tokens, revocation, acceptance without an API key (a new person,
or an existing one proving their password), every dead token the same 404, bad bodies
4xx with nothing written, and an audit entry for each mutation."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime, timedelta, timezone

import pytest
from conftest import assert_error
from org_backends import BACKENDS, deps_on

from dagy.application.use_cases.passwords import set_initial_password

PASSWORD = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 12, 4, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture(params=BACKENDS)
def api(request, api_for, tmp_path, clock):
    stack = ExitStack()
    request.addfinalizer(stack.close)
    harness = api_for(deps_on(request.param, tmp_path, stack, clock))
    set_initial_password(harness.deps, "admin@localhost", PASSWORD)
    harness.org_id = harness.get("/me").json()["org_id"]
    return harness


def invite(api, email="ann@example.com", role="developer", **kwargs):
    return api.post(f"/orgs/{api.org_id}/invitations", json={"email": email, "role": role},
                    **kwargs)


def accept(api, token, password=PASSWORD):
    return api.client.post(f"/invitations/{token}/accept", json={"password": password})


def login(api, email, password=PASSWORD):
    return api.client.post("/auth/login", json={"email": email, "password": password})


def state(api):
    """Every person, acme's members and its invitations (accepted or not)."""
    with api.deps.uow() as uow:
        members = uow.memberships.list(api.org_id, limit=1000)[0]
        emails = sorted(uow.users.get(m.user_id).email for m in members)
        pending = uow.invitations.pending(api.org_id, api.deps.clock.now(), limit=1000)[0]
        return emails, sorted((i.email, i.accepted_at is None) for i in pending)


def test_an_invitee_accepts_without_an_api_key_and_signs_in(api):
    created = invite(api, "Ann@Example.com", "developer")
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["token"].startswith("dagyinv_") and body["email"] == "ann@example.com"
    assert body["invited_by"].startswith("key:") and body["role"] == "developer"
    listed = api.get(f"/orgs/{api.org_id}/invitations").json()
    assert [i["invitation_id"] for i in listed["items"]] == [body["invitation_id"]]
    assert "token" not in listed["items"][0] and body["token"] not in str(listed)
    accepted = accept(api, body["token"])
    assert accepted.status_code == 200, accepted.text
    assert {k: accepted.json()[k] for k in ("org_name", "email", "role", "created_user")} == {
        "org_name": "acme", "email": "ann@example.com", "role": "developer",
        "created_user": True}
    token = login(api, "ann@example.com").json()["access_token"]
    me = api.client.get("/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert (me["org_name"], me["role"]) == ("acme", "developer")
    again = assert_error(accept(api, body["token"]), 404, "not_found")
    assert "already accepted" in again["message"]
    assert api.get(f"/orgs/{api.org_id}/invitations").json()["items"] == []


def test_an_existing_person_must_give_their_own_password(api):
    owner = login(api, "admin@localhost").json()["access_token"]
    other = api.client.post("/orgs", json={"name": "other"},
                            headers={"Authorization": f"Bearer {owner}"}).json()
    in_other = {"Authorization": f"Bearer {owner}", "X-Dagy-Org": "other"}
    ann_token = invite(api).json()["token"]
    accept(api, ann_token)
    second = api.client.post(f"/orgs/{other['org_id']}/invitations", headers=in_other,
                             json={"email": "ann@example.com", "role": "viewer"}).json()
    wrong = assert_error(accept(api, second["token"], "not ann's password at all"), 401,
                         "unauthenticated")
    assert "wrong password" in wrong["message"]
    members = api.client.get(f"/orgs/{other['org_id']}/members", headers=in_other).json()
    assert [m["email"] for m in members["items"]] == ["admin@localhost"]
    joined = accept(api, second["token"])
    assert joined.status_code == 200 and joined.json()["created_user"] is False
    assert login(api, "ann@example.com").status_code == 200  # the password did not change


def test_dead_tokens_all_answer_the_same_404(api, clock):
    expiring = invite(api, "e@example.com").json()["token"]
    revoked = invite(api, "r@example.com").json()
    assert api.call("DELETE", f"/orgs/{api.org_id}/invitations/"
                              f"{revoked['invitation_id']}").status_code == 204
    assert_error(api.call("DELETE", f"/orgs/{api.org_id}/invitations/"
                                    f"{revoked['invitation_id']}"), 404, "not_found")
    clock.at += timedelta(days=7, seconds=1)
    answers = [accept(api, token) for token in (
        expiring, revoked["token"], expiring[:-2] + "xx", "dagyinv_0a1b_unknown", "garbage",
        "x" * 400)]
    errors = [assert_error(a, 404, "not_found") for a in answers]
    assert all(e == errors[0] for e in errors)
    assert state(api) == (["admin@localhost"], [])


def test_bad_invitations_and_acceptances_write_nothing(api):
    token = invite(api, "keep@example.com", "viewer").json()["token"]
    before = state(api)
    for body in ({"email": "not-an-email", "role": "viewer"}, {"email": "a@b.c"},
                 {"email": "a@b.c", "role": "king"}, {"email": "a@b.c", "role": "viewer",
                                                       "x": 1}, {"email": 3, "role": "viewer"},
                 {"role": "viewer"}):
        assert_error(api.post(f"/orgs/{api.org_id}/invitations", json=body), 422, "invalid")
    assert_error(invite(api, "admin@localhost"), 409, "conflict")  # a member already
    assert_error(invite(api, "keep@example.com"), 409, "conflict")  # pending already
    for body in ({}, {"password": ""}, {"password": "short"}, {"password": 12345678901234},
                 {"password": PASSWORD, "email": "x@example.com"}, {"password": "x" * 1025}):
        assert_error(api.client.post(f"/invitations/{token}/accept", json=body), 422)
    assert state(api) == before
    assert accept(api, token).status_code == 200  # still usable after the refusals


def test_an_admin_invites_no_owner_and_a_viewer_invites_nobody(api):
    admin_invite = invite(api, "adm@example.com", "admin").json()["token"]
    viewer_invite = invite(api, "vic@example.com", "viewer").json()["token"]
    accept(api, admin_invite), accept(api, viewer_invite)
    admin = {"Authorization": f"Bearer {login(api, 'adm@example.com').json()['access_token']}"}
    viewer = {"Authorization": f"Bearer {login(api, 'vic@example.com').json()['access_token']}"}
    refused = assert_error(invite(api, "o@example.com", "owner", headers=admin), 403)
    assert "cannot invite with role owner" in refused["message"]
    assert invite(api, "a2@example.com", "admin", headers=admin).status_code == 201
    assert_error(invite(api, "v2@example.com", "viewer", headers=viewer), 403, "forbidden")
    assert_error(api.client.get(f"/orgs/{api.org_id}/invitations", headers=viewer), 403)


def test_every_mutation_leaves_one_audit_entry(api):
    made = invite(api, "ann@example.com").json()
    gone = invite(api, "bob@example.com").json()
    api.call("DELETE", f"/orgs/{api.org_id}/invitations/{gone['invitation_id']}")
    ann_id = accept(api, made["token"]).json()["user_id"]
    api.call("PATCH", f"/orgs/{api.org_id}/members/{ann_id}", json={"role": "viewer"})
    api.call("DELETE", f"/orgs/{api.org_id}/members/{ann_id}")
    owner = login(api, "admin@localhost").json()["access_token"]
    new_org = api.client.post("/orgs", json={"name": "audited"},
                              headers={"Authorization": f"Bearer {owner}"}).json()
    with api.deps.uow() as uow:
        acme = [(e.action, e.actor.split(":")[0]) for e in uow.audit_logs.in_order(api.org_id)]
        created = [e.action for e in uow.audit_logs.in_order(new_org["org_id"])]
    mine = [a for a in acme if a[0].startswith(("invitation.", "member."))]
    assert mine == [("invitation.create", "key"), ("invitation.create", "key"),
                    ("invitation.revoke", "key"), ("invitation.accept", "user"),
                    ("member.role", "key"), ("member.remove", "key")]
    assert created == ["org.create"]
