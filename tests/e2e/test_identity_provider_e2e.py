"""Identity-provider JWTs against a real `dagy server` configured with DAGY_JWT_* and a
JWKS served by a thread of this test on 127.0.0.1 (RSA and EC keys from cryptography):
forged tokens get 401, repeated unknown key ids cost the provider at most one request,
a good token acts with the member's role (a viewer gets 403 on POST /runs), and with
DAGY_JWT_REQUIRED password login answers 403 while the API key keeps working. A server
told to require JWTs without the provider's settings does not start: one error line.
"""

from __future__ import annotations

import json
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from fake_idp import ATTACKS, ISSUER, FakeIdp

from dagy.adapters.sql.uow import SqlDatabase
from dagy.domain.permissions import Role
from dagy.domain.tenancy import Membership, User
from dagy_server import Server, dagy, free_port, one_line_error

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]


def call(server: Server, method: str, path: str, token: str | None = None,
         body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server.url + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"{}")


def add_people(home: Path) -> None:
    """A viewer linked by email on first use and an admin already linked by subject."""
    database = SqlDatabase(f"sqlite:///{home / 'dagy.db'}")
    try:
        with database.unit_of_work() as uow:
            org = uow.orgs.get_by_name("default")
            uow.users.add(User("u-viewer", "ann@example.com"))
            uow.users.add(User("u-admin", "ops@example.com",
                               external_subject=f"{ISSUER}|sub-ops"))
            uow.memberships.add(Membership(org.org_id, "u-viewer", Role.VIEWER))
            uow.memberships.add(Membership(org.org_id, "u-admin", Role.ADMIN))
            uow.commit()
    finally:
        database.dispose()


def profile_key(home: Path) -> str:
    return tomllib.loads((home / "profiles.toml").read_text())["local"]["api_key"]


def test_a_real_server_verifies_provider_jwts(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    home = tmp_path / "home"
    first = Server(tmp_path, free_port())  # bootstraps the default org and its owner key
    try:
        assert first.stop()[0] == 0
    finally:
        first.close()
    add_people(home)
    key = profile_key(home)

    with FakeIdp() as idp:
        server = Server(tmp_path, free_port(), DAGY_JWT_REQUIRED="true", **idp.env())
        try:
            status, me = call(server, "GET", "/me", idp.token(ec_key=True))
            assert status == 200, me
            assert (me["user_id"], me["role"], me["credential"]) == ("u-viewer", "viewer", "jwt")
            assert call(server, "GET", "/runs", idp.token())[0] == 200  # RS256 too
            status, refused = call(server, "POST", "/runs", idp.token(),
                                   {"deployment_name": "anything"})
            assert (status, refused["error"]["code"]) == (403, "forbidden")
            admin = idp.token(idp.claims(sub="sub-ops", email=None))
            assert call(server, "GET", "/me", admin)[1]["role"] == "admin"

            for name in ATTACKS:
                token = idp.attacks()[name]()
                status, body = call(server, "GET", "/runs", token)
                assert (status, body["error"]["code"]) == (401, "unauthenticated"), (name, body)
                assert token not in body["error"]["message"]

            before = idp.hits
            for n in range(10):
                status, body = call(server, "GET", "/runs", idp.token(kid=f"forged-{n}"))
                assert status == 401 and "unknown key id" in body["error"]["message"]
            assert idp.hits - before <= 1  # one refresh per cooldown (30 s), at most

            status, body = call(server, "GET", "/runs",
                                idp.token(idp.claims(sub="sub-nobody", email="no@example.com")))
            assert (status, body["error"]["message"]) == (401, "no Dagy user for this identity")

            status, body = call(server, "POST", "/auth/login", None,
                                {"email": "admin@localhost", "password": "whatever it is"})
            assert status == 403
            assert body["error"]["message"].startswith("sign-in goes through the identity "
                                                       "provider")
            assert call(server, "GET", "/runs", key)[0] == 200  # the API key still works
        finally:
            server.close()


def test_jwt_required_without_the_provider_settings_stops_the_start(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    proc = dagy(tmp_path, "server", "--port", str(free_port()), DAGY_JWT_REQUIRED="true",
                DAGY_JWT_ISSUER=ISSUER)
    one_line_error(proc, 2, "DAGY_JWT_REQUIRED=true needs", "missing: DAGY_JWT_AUDIENCE, "
                   "DAGY_JWKS_URL")
