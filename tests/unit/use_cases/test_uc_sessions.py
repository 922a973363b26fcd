"""Password login sessions on in-memory adapters with a fake clock: expiry of both
tokens, rotation on refresh, family revocation when a used refresh token comes back,
logout, password changes, and roles read from the membership at each request."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dagy.application.principal import Principal
from dagy.application.use_cases.accounts import bootstrap
from dagy.application.use_cases.passwords import change_password, set_initial_password
from dagy.application.use_cases.sessions import (authenticate_access_token, login,
                                                 logout_token, refresh)
from dagy.domain.errors import NotFoundError, ValidationError
from dagy.domain.permissions import ForbiddenError, Role
from dagy.domain.tenancy import AuthenticationError, keyed_hash
from dagy.entrypoints.wiring import build_deps

PASSWORD = "correct horse battery staple"


class FakeClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 12, 1, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def deps(clock):
    deps = build_deps(clock=clock, access_token_ttl_seconds=60, refresh_token_ttl_seconds=600)
    org, _ = bootstrap(deps, "acme")
    set_initial_password(deps, "admin@localhost", PASSWORD)
    deps.org = org
    return deps


def who(deps, pair, org=None) -> Principal:
    return authenticate_access_token(deps, pair.access_token, org)


def test_login_gives_a_pair_that_authenticates_as_the_person(deps):
    pair = login(deps, " Admin@Localhost ", PASSWORD)
    assert pair.access_token.startswith("dagyat_") and pair.refresh_token.startswith("dagyrt_")
    assert (pair.expires_in(deps.clock.now()), pair.refresh_expires_in(deps.clock.now())) == (
        60, 600)
    principal = who(deps, pair)
    assert (principal.org_id, principal.role, principal.key_id) == (
        deps.org.org_id, Role.OWNER, None)
    assert principal.credential_id == pair.access.token_id
    with deps.uow() as uow:  # only the keyed hash is stored
        stored = uow.access_tokens.get(pair.access.token_id)
    secret = pair.access_token.split("_", 2)[2]
    assert stored.secret_hash == keyed_hash(secret, deps.api_key_pepper)
    assert secret not in repr(stored)


@pytest.mark.parametrize("email,password", [("admin@localhost", "wrong password!!"),
                                            ("nobody@localhost", PASSWORD),
                                            ("not an email", PASSWORD), ("admin@localhost", "")])
def test_bad_credentials_all_give_the_same_error(deps, email, password):
    with pytest.raises(AuthenticationError, match="^invalid email or password$"):
        login(deps, email, password)


def test_the_access_token_expires_and_the_refresh_token_rotates(deps, clock):
    pair = login(deps, "admin@localhost", PASSWORD)
    clock.advance(59)
    who(deps, pair)
    clock.advance(1)
    with pytest.raises(AuthenticationError, match="expired"):
        who(deps, pair)
    second = refresh(deps, pair.refresh_token)
    assert second.refresh.family_id == pair.refresh.family_id
    assert who(deps, second).user_id == who(deps, second).user_id
    with deps.uow() as uow:
        assert uow.access_tokens.get(pair.refresh.token_id).used_at == clock.now()


def test_a_reused_refresh_token_revokes_its_whole_family(deps):
    pair = login(deps, "admin@localhost", PASSWORD)
    other = login(deps, "admin@localhost", PASSWORD)  # another session: untouched
    second = refresh(deps, pair.refresh_token)
    with pytest.raises(AuthenticationError, match="already used"):
        refresh(deps, pair.refresh_token)
    for token in (second.access_token,):
        with pytest.raises(AuthenticationError, match="revoked"):
            authenticate_access_token(deps, token, None)
    with pytest.raises(AuthenticationError, match="revoked"):
        refresh(deps, second.refresh_token)
    who(deps, other)
    refresh(deps, other.refresh_token)


def test_an_expired_or_forged_refresh_token_is_refused(deps, clock):
    pair = login(deps, "admin@localhost", PASSWORD)
    prefix, token_id, secret = pair.refresh_token.split("_", 2)
    with pytest.raises(AuthenticationError, match="invalid refresh token"):
        refresh(deps, f"{prefix}_{token_id}_{secret[:-2]}xx")
    with pytest.raises(AuthenticationError, match="malformed"):
        refresh(deps, pair.access_token)  # an access token is not a refresh token
    with pytest.raises(AuthenticationError, match="malformed"):
        authenticate_access_token(deps, pair.refresh_token, None)
    clock.advance(600)
    with pytest.raises(AuthenticationError, match="expired"):
        refresh(deps, pair.refresh_token)


def test_logout_revokes_the_session_and_only_it(deps):
    pair, other = login(deps, "admin@localhost", PASSWORD), login(deps, "admin@localhost", PASSWORD)
    assert logout_token(deps, pair.access_token) == 2
    with pytest.raises(AuthenticationError, match="revoked"):
        who(deps, pair)
    with pytest.raises(AuthenticationError, match="revoked"):
        refresh(deps, pair.refresh_token)
    with pytest.raises(AuthenticationError, match="revoked"):
        logout_token(deps, pair.access_token)
    who(deps, other)
    with pytest.raises(AuthenticationError, match="malformed"):
        logout_token(deps, other.refresh_token)
    with pytest.raises(AuthenticationError, match="missing"):
        logout_token(deps, None)


def test_a_demotion_or_removal_applies_to_the_next_request(deps):
    pair = login(deps, "admin@localhost", PASSWORD)
    user_id = pair.access.user_id
    with deps.uow() as uow:
        uow.memberships.set_role(deps.org.org_id, user_id, Role.VIEWER)
        uow.commit()
    assert who(deps, pair).role is Role.VIEWER
    with deps.uow() as uow:
        uow.memberships.delete(deps.org.org_id, user_id)
        uow.commit()
    with pytest.raises(NotFoundError):
        who(deps, pair)


def test_changing_the_password_revokes_the_other_sessions(deps):
    mine, other = login(deps, "admin@localhost", PASSWORD), login(deps, "admin@localhost", PASSWORD)
    me = who(deps, mine)
    with pytest.raises(ForbiddenError, match="current password is wrong"):
        change_password(deps, me, "not the password", "a new password of length")
    with pytest.raises(ValidationError, match="12 to"):
        change_password(deps, me, PASSWORD, "short")
    assert change_password(deps, me, PASSWORD, "a new password of length") == 2
    who(deps, mine)
    with pytest.raises(AuthenticationError, match="revoked"):
        who(deps, other)
    with pytest.raises(AuthenticationError):
        login(deps, "admin@localhost", PASSWORD)
    login(deps, "admin@localhost", "a new password of length")
    with pytest.raises(ForbiddenError, match="API key"):
        change_password(deps, Principal(deps.org.org_id, me.user_id, key_id="k"), PASSWORD,
                        "another long password")


def test_the_initial_password_is_set_once(deps):
    assert set_initial_password(deps, "admin@localhost", "a different password") is False
    login(deps, "admin@localhost", PASSWORD)


def test_a_password_change_is_audited_without_the_password(deps):
    me = who(deps, login(deps, "admin@localhost", PASSWORD))
    change_password(deps, me, PASSWORD, "a new password of length")
    with deps.uow() as uow:
        entries = uow.audit_logs.list(me.org_id)[0]
    entry = next(e for e in entries if e.action == "user.password_change")
    assert (entry.resource_type, entry.resource_id) == ("user", me.user_id)
    assert PASSWORD not in repr(entry) and "a new password" not in repr(entry)


class CountingHasher:
    """The wired hasher, counting derivations (each hash or verify is one)."""

    def __init__(self, inner) -> None:
        self.inner, self.derivations = inner, 0

    def hash(self, password: str) -> str:
        self.derivations += 1
        return self.inner.hash(password)

    def verify(self, password: str, stored: str) -> bool:
        self.derivations += 1
        return self.inner.verify(password, stored)

    def needs_rehash(self, stored: str) -> bool:
        return self.inner.needs_rehash(stored)


def test_every_failed_login_costs_one_derivation_like_a_real_check(deps):
    counting = deps.password_hasher = CountingHasher(deps.password_hasher)
    with pytest.raises(AuthenticationError):
        login(deps, "nobody@localhost", PASSWORD)  # warms the dummy hash up
    for email, password in (("nobody@localhost", PASSWORD), ("not an email", PASSWORD),
                            ("admin@localhost", "wrong password!!"), ("ADMIN@localhost", "")):
        counting.derivations = 0
        with pytest.raises(AuthenticationError):
            login(deps, email, password)
        assert counting.derivations == 1, email
