"""People's login sessions: a password login issues an access token (minutes) and a
refresh token (days); a refresh rotates both; logout ends the session.

A login starts a token *family*. `refresh` marks the refresh token used (a
compare-and-set, so of two concurrent refreshes one wins) and issues a new pair into the
family. A used refresh token presented again means someone else holds a copy (OAuth 2.1
refresh-token rotation): the whole family is revoked, the thief's tokens and the
owner's alike, and the owner logs in again. Refresh tokens slide: each new one lives the
full refresh lifetime from its own issue.

Tokens name the person only; the org and role come from the memberships on every
request (use_cases/people.py), so nothing here changes when a role does. Logins are
not audited: they change no resource and the access log has them.
"""

from __future__ import annotations

import functools
from datetime import timedelta

from dagy.application.deps import Deps
from dagy.application.ports.passwords import PasswordHasher
from dagy.application.ports.repositories import UnitOfWork
from dagy.application.principal import Principal
from dagy.application.use_cases.people import principal_for_user
from dagy.domain.access_tokens import (ACCESS, REFRESH, AccessToken, TokenPair, new_token,
                                       split_token, token_matches)
from dagy.domain.errors import ConfigurationError, ValidationError
from dagy.domain.permissions import ForbiddenError
from dagy.domain.tenancy import AuthenticationError, normalize_email

LOGIN_FAILED = "invalid email or password"
IDP_SIGN_IN = ("sign-in goes through the identity provider: send its JWT as the Bearer token "
               "(DAGY_JWT_REQUIRED is on)")


def login(deps: Deps, email: str, password: str) -> TokenPair:
    """A new session for the person with this email and password.

    An unknown email, a person without a password and a wrong password all raise the
    same AuthenticationError after one password derivation each, so neither the answer
    nor its time tells which emails exist."""
    _refuse_if_idp_only(deps)
    hasher = _hasher(deps)
    try:
        email = normalize_email(email)
    except ValidationError:
        email = ""
    now = deps.clock.now()
    with deps.uow() as uow:
        user = uow.users.get_by_email(email) if email else None
        stored = user.password_hash if user is not None else None
        if stored is None:
            hasher.verify(password, _dummy_hash(hasher))  # the time of a real check
            raise AuthenticationError(LOGIN_FAILED)
        if not hasher.verify(password, stored):
            raise AuthenticationError(LOGIN_FAILED)
        if hasher.needs_rehash(stored):  # the cost was raised since: store the new one
            user.password_hash = hasher.hash(password)
            uow.users.update(user)
        uow.access_tokens.purge_expired(user.user_id, now)
        pair = _issue(deps, uow, user.user_id, deps.ids.new_id())
        uow.commit()
    return pair


def refresh(deps: Deps, presented: str) -> TokenPair:
    """Exchange a refresh token for a new pair; the presented one is used up.

    AuthenticationError if it is unknown, expired or revoked; if it was used already,
    its whole family is revoked first (the rotation's theft detection)."""
    _refuse_if_idp_only(deps)
    token_id, secret = split_token(presented, REFRESH)
    now = deps.clock.now()
    with deps.uow() as uow:
        token = uow.access_tokens.get(token_id)
        if token is None or token.kind != REFRESH or not token_matches(
                token, secret, deps.api_key_pepper):
            raise AuthenticationError("invalid refresh token")
        if token.revoked:
            raise AuthenticationError("this refresh token was revoked: log in again")
        if now >= token.expires_at:
            raise AuthenticationError("this refresh token has expired: log in again")
        if token.used_at is not None or not uow.access_tokens.mark_used(token_id, now):
            uow.access_tokens.revoke_family(token.family_id)
            uow.commit()
            raise AuthenticationError("this refresh token was already used: every token of "
                                      "its session is revoked; log in again")
        if uow.users.get(token.user_id) is None:
            raise AuthenticationError("invalid refresh token")
        pair = _issue(deps, uow, token.user_id, token.family_id)
        uow.commit()
    return pair


def authenticate_access_token(deps: Deps, presented: str, org_selector: str | None) -> Principal:
    """The Principal of a Bearer access token in the org `org_selector` names (the
    X-Dagy-Org header; see principal_for_user). AuthenticationError if the token is
    malformed, unknown, expired or revoked; NotFoundError if the person is not a member."""
    with deps.uow() as uow:
        token = _live_access_token(deps, uow, presented)
        if deps.clock.now() >= token.expires_at:
            raise AuthenticationError("this access token has expired: refresh it or log in "
                                      "again")
        return principal_for_user(deps, uow, token.user_id, org_selector,
                                  credential_id=token.token_id)


def logout_token(deps: Deps, presented: str | None) -> int:
    """Revoke the presented access token and every token of its session (its family);
    returns how many were revoked. AuthenticationError unless it is a valid access token.

    It needs no org or role: a person removed from every org can still end a session.
    An expired access token still ends its session (its refresh token would outlive it)."""
    if not presented:
        raise AuthenticationError("missing access token: send 'Authorization: Bearer "
                                  "dagyat_...' (the access token from POST /auth/login)")
    with deps.uow() as uow:
        token = _live_access_token(deps, uow, presented)
        revoked = uow.access_tokens.revoke_family(token.family_id)
        uow.commit()
    return revoked


def _live_access_token(deps: Deps, uow: UnitOfWork, presented: str) -> AccessToken:
    """The stored access token the presented string proves, unless revoked (its expiry is
    the caller's to judge: logout ends an expired token's session too)."""
    token_id, secret = split_token(presented, ACCESS)
    token = uow.access_tokens.get(token_id)
    if token is None or token.kind != ACCESS or not token_matches(
            token, secret, deps.api_key_pepper):
        raise AuthenticationError("invalid access token")
    if token.revoked:
        raise AuthenticationError("this access token was revoked: log in again")
    return token


def _issue(deps: Deps, uow: UnitOfWork, user_id: str, family_id: str) -> TokenPair:
    now, pepper = deps.clock.now(), deps.api_key_pepper
    access, access_text = new_token(ACCESS, deps.ids.new_id(), user_id, family_id, now,
                                    timedelta(seconds=deps.access_token_ttl_seconds),
                                    pepper=pepper)
    fresh, refresh_text = new_token(REFRESH, deps.ids.new_id(), user_id, family_id, now,
                                    timedelta(seconds=deps.refresh_token_ttl_seconds),
                                    pepper=pepper)
    uow.access_tokens.add(access)
    uow.access_tokens.add(fresh)
    return TokenPair(access_text, refresh_text, access, fresh)


def _refuse_if_idp_only(deps: Deps) -> None:
    """ForbiddenError with DAGY_JWT_REQUIRED: people sign in at the identity provider."""
    if deps.jwt_required:
        raise ForbiddenError(IDP_SIGN_IN)


def _hasher(deps: Deps) -> PasswordHasher:
    if deps.password_hasher is None:
        raise ConfigurationError("password login is off: this server has no password hasher")
    return deps.password_hasher


@functools.lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A stored hash with the hasher's own cost, checked when there is no real one."""
    return hasher.hash("no such person: a password nobody has")


__all__ = ["AccessToken", "TokenPair", "authenticate_access_token", "login", "logout_token",
           "refresh"]
