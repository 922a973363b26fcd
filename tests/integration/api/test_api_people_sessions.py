"""People's sessions over the API: login, refresh with rotation and theft detection,
logout, expiry, X-Dagy-Org, roles read from the membership on every request, GET /me
and PUT /me/password; on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime, timedelta, timezone

import pytest
from conftest import assert_error
from fresh_databases import fresh_postgres_schema, postgres_url, search_path_url

from dagy.adapters.crypto.aes_gcm import generate_key_text

from dagy.application.use_cases.passwords import set_initial_password
from dagy.domain.permissions import Role
from dagy.domain.tenancy import Membership, Organization
from dagy.entrypoints.container import build_container
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.wiring import build_deps, password_hasher

PASSWORD = "correct horse battery staple"


class FakeClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 12, 1, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def api(request, api_for, clock, tmp_path):
    """The API on in-memory adapters, or on the SQL adapters of a real container with
    SQLite or a PostgreSQL schema of its own."""
    with ExitStack() as stack:
        if request.param == "memory":
            deps = build_deps()
        else:
            settings = DagySettings(home=tmp_path / "home")
            if request.param == "postgres":
                url = search_path_url(postgres_url(), stack.enter_context(
                    fresh_postgres_schema(postgres_url())))
                settings = DagySettings(home=tmp_path / "home", database_url=url,
                                        secret_key=generate_key_text(),
                                        api_key_pepper="people-sessions-pepper-0123456789abcdef")
            container = build_container(settings)
            stack.callback(container.close)
            deps = container.deps
        deps.clock, deps.access_token_ttl_seconds, deps.refresh_token_ttl_seconds = (
            clock, 60, 3600)
        deps.password_hasher = password_hasher(cheap=True)  # scrypt's cost is not tested here
        harness = api_for(deps)
        set_initial_password(harness.deps, "admin@localhost", PASSWORD)
        yield harness


def bearer(token: str, org: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **({"X-Dagy-Org": org} if org else {})}


def login(api, email="admin@localhost", password=PASSWORD):
    answer = api.client.post("/auth/login", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_login_answers_a_token_pair_that_works_without_an_api_key(api):
    pair = login(api, "ADMIN@localhost")
    assert pair["token_type"] == "bearer" and (pair["expires_in"], pair["refresh_expires_in"]) \
        == (60, 3600)
    assert pair["access_token"].startswith("dagyat_")
    me = api.client.get("/me", headers=bearer(pair["access_token"])).json()
    assert (me["email"], me["credential"], me["role"], me["org_name"], me["key_id"]) == (
        "admin@localhost", "access_token", "owner", "acme", None)
    assert [o["org_name"] for o in me["orgs"]] == ["acme"]
    assert api.client.get("/runs", headers=bearer(pair["access_token"])).status_code == 200
    assert api.get("/me").json()["credential"] == "api_key"


def test_a_wrong_password_and_an_unknown_email_get_the_same_401(api):
    answers = [api.client.post("/auth/login", json=body) for body in (
        {"email": "admin@localhost", "password": "not the password"},
        {"email": "nobody@example.com", "password": PASSWORD})]
    errors = [assert_error(a, 401, "unauthenticated") for a in answers]
    assert errors[0] == errors[1]
    assert_error(api.client.post("/auth/login", json={"email": "admin@localhost"}), 422)
    assert_error(api.client.post("/auth/login", json={"email": "a@b", "password": "x" * 2000}),
                 422)


def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_session(api):
    pair = login(api)
    second = api.client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert second.status_code == 200, second.text
    second = second.json()
    assert second["refresh_token"] != pair["refresh_token"]
    assert api.client.get("/me", headers=bearer(second["access_token"])).status_code == 200
    reused = api.client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert "already used" in assert_error(reused, 401, "unauthenticated")["message"]
    for token in (pair["access_token"], second["access_token"]):
        assert_error(api.client.get("/me", headers=bearer(token)), 401)
    assert_error(api.client.post("/auth/refresh",
                                 json={"refresh_token": second["refresh_token"]}), 401)


def test_an_expired_access_token_is_401_and_a_refresh_token_is_no_bearer(api, clock):
    pair = login(api)
    assert_error(api.client.get("/me", headers=bearer(pair["refresh_token"])), 401)
    clock.at += timedelta(seconds=61)
    assert "expired" in assert_error(api.client.get("/me", headers=bearer(pair["access_token"])),
                                     401)["message"]
    fresh = api.client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert api.client.get("/me", headers=bearer(fresh.json()["access_token"])).status_code == 200
    clock.at += timedelta(seconds=3601)
    assert_error(api.client.post("/auth/refresh",
                                 json={"refresh_token": fresh.json()["refresh_token"]}), 401)


def test_logout_revokes_the_access_token_and_its_refresh_token(api):
    pair, other = login(api), login(api)
    answer = api.client.post("/auth/logout", headers=bearer(pair["access_token"]))
    assert answer.status_code == 200 and answer.json() == {"revoked": 2}
    assert_error(api.client.get("/me", headers=bearer(pair["access_token"])), 401)
    assert_error(api.client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]}),
                 401)
    assert api.client.get("/me", headers=bearer(other["access_token"])).status_code == 200
    assert_error(api.client.post("/auth/logout"), 401)
    assert_error(api.post("/auth/logout"), 401)  # an API key is no session


def test_x_dagy_org_picks_the_org_and_the_membership_role_applies_at_once(api):
    with api.deps.uow() as uow:
        admin = uow.users.get_by_email("admin@localhost")
        uow.orgs.add(Organization("org-two", "two"))
        uow.orgs.add(Organization("org-three", "three"))
        uow.memberships.add(Membership("org-two", admin.user_id, Role.ADMIN))
        uow.commit()
    token = login(api)["access_token"]
    acme = api.client.get("/me", headers=bearer(token)).json()
    assert acme["org_name"] == "acme" and len(acme["orgs"]) == 2  # the oldest membership
    for selector in ("two", "org-two"):
        me = api.client.get("/me", headers=bearer(token, selector)).json()
        assert (me["org_id"], me["role"]) == ("org-two", "admin")
    for selector in ("three", "org-three", "no-such-org"):
        assert_error(api.client.get("/me", headers=bearer(token, selector)), 404, "not_found")
    assert api.client.post("/api-keys", json={"name": "x"},
                           headers=bearer(token, "two")).status_code == 201
    with api.deps.uow() as uow:
        uow.memberships.set_role("org-two", admin.user_id, Role.VIEWER)
        uow.commit()
    assert_error(api.client.post("/api-keys", json={"name": "y"}, headers=bearer(token, "two")),
                 403, "forbidden")
    with api.deps.uow() as uow:
        uow.memberships.delete("org-two", admin.user_id)
        uow.commit()
    assert_error(api.client.get("/me", headers=bearer(token, "two")), 404, "not_found")


def test_an_api_key_with_another_orgs_header_is_404(api):
    org_id = api.get("/me").json()["org_id"]
    with api.deps.uow() as uow:
        uow.orgs.add(Organization("org-two", "two"))
        uow.commit()
    for selector in ("acme", org_id):
        assert api.get("/me", headers={"X-Dagy-Org": selector}).status_code == 200
    for selector in ("two", "org-two", "nope"):
        assert_error(api.get("/me", headers={"X-Dagy-Org": selector}), 404, "not_found")


def test_changing_the_password_keeps_this_session_and_ends_the_others(api):
    mine, other = login(api), login(api)
    change = {"current_password": PASSWORD, "new_password": "another long password"}
    assert_error(api.call("PUT", "/me/password", json=change), 403, "forbidden")  # an API key
    wrong = {**change, "current_password": "not it at all"}
    assert_error(api.client.put("/me/password", json=wrong,
                                headers=bearer(mine["access_token"])), 403)
    assert_error(api.client.put("/me/password", json={**change, "new_password": "short"},
                                headers=bearer(mine["access_token"])), 422)
    done = api.client.put("/me/password", json=change, headers=bearer(mine["access_token"]))
    assert done.status_code == 204, done.text
    assert api.client.get("/me", headers=bearer(mine["access_token"])).status_code == 200
    assert_error(api.client.get("/me", headers=bearer(other["access_token"])), 401)
    assert_error(api.client.post("/auth/login", json={"email": "admin@localhost",
                                                       "password": PASSWORD}), 401)
    login(api, password="another long password")
