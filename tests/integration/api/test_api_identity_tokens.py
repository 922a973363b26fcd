"""Identity-provider JWTs through the HTTP API, verified against a JWKS served on
127.0.0.1 (tests/support/fake_idp.py): every forged token gets 401 with the error shape,
a good one acts with the mapped member's role, a provider that is down gets 503, and
DAGY_JWT_REQUIRED leaves people only the provider's sign-in while API keys keep working.
Every test runs on memory, SQLite and PostgreSQL (a fresh database per harness).
"""

from __future__ import annotations

import asyncio
import threading
import time
from contextlib import ExitStack

import httpx
import pytest
from backend_deps import ALL_BACKENDS, deps_on
from conftest import assert_error
from fake_idp import ATTACKS, AUDIENCE, ISSUER, FakeIdp

from dagy.application.use_cases.passwords import set_initial_password
from dagy.domain.permissions import Role
from dagy.domain.tenancy import Membership, User
from dagy.entrypoints.api import create_app

PASSWORD = "correct horse battery staple"
WAIT_LIMIT = 10.0


@pytest.fixture(scope="module")
def idp():
    with FakeIdp() as provider:
        yield provider


@pytest.fixture(autouse=True)
def _loopback(no_proxy):
    """The verifier fetches the JWKS with urllib: never through a proxy."""


@pytest.fixture
def databases():
    """What the harnesses opened; closed after api_for has closed their clients."""
    with ExitStack() as stack:
        yield stack


@pytest.fixture(params=ALL_BACKENDS)
def harness(request, databases, api_for, idp, tmp_path):
    """`harness(**settings)`: a new API on a fresh database of the test's backend, with
    ann (viewer) and dev (developer, linked to the provider) in org acme; `provider=False`
    leaves the identity provider unconfigured."""
    made = []

    def make(provider: bool = True, **over):
        if provider:
            over = dict(jwt_issuer=ISSUER, jwt_audience=AUDIENCE, jwks_url=idp.jwks_url, **over)
        made.append(None)
        deps = deps_on(request.param, tmp_path / f"home-{len(made)}", databases, **over)
        api = api_for(deps)
        with api.deps.uow() as uow:
            org = uow.orgs.get_by_name("acme")
            uow.users.add(User("u-ann", "ann@example.com"))
            uow.users.add(User("u-dev", "dev@example.com",
                               external_subject=f"{ISSUER}|sub-dev"))
            uow.memberships.add(Membership(org.org_id, "u-ann", Role.VIEWER))
            uow.memberships.add(Membership(org.org_id, "u-dev", Role.DEVELOPER))
            uow.commit()
        set_initial_password(api.deps, "admin@localhost", PASSWORD)
        return api

    return make


@pytest.fixture
def api(harness):
    return harness()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("ec_key", [False, True], ids=["RS256", "ES256"])
def test_a_good_token_acts_with_the_mapped_members_role(api, idp, ec_key):
    token = idp.token(ec_key=ec_key)  # ann, by her email: linked on this first use
    me = api.client.get("/me", headers=bearer(token))
    assert me.status_code == 200, me.text
    me = me.json()
    assert (me["user_id"], me["email"], me["role"], me["credential"], me["key_id"]) == (
        "u-ann", "ann@example.com", "viewer", "jwt", None)
    assert api.client.get("/runs", headers=bearer(token)).status_code == 200
    refused = api.client.post("/runs", headers=bearer(token),
                              json={"deployment_name": "anything"})
    assert_error(refused, 403, "forbidden")
    with api.deps.uow() as uow:
        assert uow.users.get("u-ann").external_subject == f"{ISSUER}|sub-ann"


def test_a_linked_subject_maps_whatever_email_the_token_carries(api, idp):
    token = idp.token(idp.claims(sub="sub-dev", email="renamed@example.com"))
    assert api.client.get("/me", headers=bearer(token)).json()["role"] == "developer"


@pytest.mark.parametrize("attack", ATTACKS)
def test_every_forged_token_gets_401_and_names_no_token(api, idp, attack):
    token = idp.attacks()[attack]()
    answer = api.client.get("/runs", headers=bearer(token))
    error = assert_error(answer, 401, "unauthenticated")
    assert token not in error["message"] and error["message"].startswith("invalid token")
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    with api.deps.uow() as uow:
        assert uow.users.get("u-ann").external_subject is None  # nothing linked


def test_repeated_unknown_kids_fetch_the_jwks_at_most_once_per_cooldown(api, idp):
    assert api.client.get("/runs", headers=bearer(idp.token())).status_code == 200
    before = idp.hits
    for n in range(15):
        answer = api.client.get("/runs", headers=bearer(idp.token(kid=f"forged-{n}")))
        assert "unknown key id" in assert_error(answer, 401)["message"]
    assert idp.hits - before <= 1


@pytest.mark.parametrize("claims,reason", [
    (dict(sub="sub-stranger", email="stranger@example.com"), "no Dagy user for this identity"),
    (dict(sub="sub-x", email=None), "no Dagy user for this identity"),
    (dict(sub="sub-ann", email="ann@example.com", email_verified=False), "not verified"),
])
def test_a_token_for_no_dagy_user_gets_401(api, idp, claims, reason):
    answer = api.client.get("/runs", headers=bearer(idp.token(idp.claims(**claims))))
    assert reason in assert_error(answer, 401, "unauthenticated")["message"]


def test_a_provider_that_is_down_gets_503_with_a_clear_message(harness, idp):
    api = harness()
    idp.down = True
    try:
        for _ in range(3):
            answer = api.client.get("/runs", headers=bearer(idp.token()))
            assert answer.status_code == 503, answer.text
            assert "could not be fetched" in answer.json()["error"]["message"]
    finally:
        idp.down = False
    assert api.get("/runs").status_code == 200  # API keys do not need the provider


def test_without_jwt_required_passwords_and_jwts_both_sign_in(api, idp):
    login = api.client.post("/auth/login", json={"email": "admin@localhost",
                                                 "password": PASSWORD})
    assert login.status_code == 200, login.text
    access = login.json()["access_token"]
    assert api.client.get("/runs", headers=bearer(access)).status_code == 200
    assert api.client.get("/runs", headers=bearer(idp.token())).status_code == 200


def test_with_jwt_required_people_sign_in_only_at_the_provider(harness, idp):
    api = harness()
    pair = api.client.post("/auth/login", json={"email": "admin@localhost",
                                                "password": PASSWORD}).json()
    required = harness(jwt_required=True)
    for path, body in (("/auth/login", {"email": "admin@localhost", "password": PASSWORD}),
                       ("/auth/refresh", {"refresh_token": pair["refresh_token"]})):
        error = assert_error(required.client.post(path, json=body), 403, "forbidden")
        assert error["message"].startswith("sign-in goes through the identity provider")
    # Dagy access tokens are refused by their shape, before any lookup
    error = assert_error(required.client.get("/runs", headers=bearer(pair["access_token"])),
                         401)
    assert "identity provider" in error["message"]
    assert required.get("/runs").status_code == 200  # API keys: service accounts
    assert required.client.get("/runs", headers=bearer(idp.token())).status_code == 200


def test_a_slow_provider_does_not_stall_the_event_loop(harness, idp):
    api = harness()  # a fresh verifier: its first request fetches the JWKS
    idp.hold, idp.holding = threading.Event(), threading.Event()
    app = create_app(api.deps)  # served without its lifespan: its writer is stopped below
    try:
        health, runs = asyncio.run(_health_while_fetching(app, idp))
    finally:
        idp.hold.set()
        idp.hold = None
        if app.state.access_log is not None:  # written before the database is dropped
            app.state.access_log.stop()
    assert (health, runs) == (200, 200)
    assert idp.released_in_time  # /health was answered while the JWKS fetch waited


async def _health_while_fetching(app, idp: FakeIdp) -> tuple[int, int]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dagy") as client:
        fetching = asyncio.create_task(client.get("/runs", headers=bearer(idp.token())))
        deadline = time.monotonic() + WAIT_LIMIT
        while not idp.holding.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)  # until the JWKS request is under way
        health = await client.get("/health")
        idp.hold.set()
        runs = await fetching
    return health.status_code, runs.status_code


def test_a_server_without_a_provider_refuses_jwts_saying_so(harness, idp):
    plain = harness(provider=False)
    error = assert_error(plain.client.get("/runs", headers=bearer(idp.token())), 401)
    assert "accepts no identity-provider JWTs" in error["message"]
    assert idp.token() not in error["message"]
