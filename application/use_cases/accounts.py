"""Organizations, people and API keys: first-start bootstrap, authentication, key admin.

Authentication reads the key's row (one indexed read) unless this process is the only
one that can change keys (the embedded server: `deps.caches.principals` is set); then a
key seen in the last minute is answered from memory, and every revocation in this
process clears that memory. Either way a revoked or expired key is refused on the very
next request. `last_used_at` is written at most once a minute per key, so a busy key
does not turn every request into a write.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dagy.application import audit_trail
from dagy.application.audit_views import api_key_view, org_view
from dagy.application.deps import Deps
from dagy.application.environments import seed_environments
from dagy.application.principal import Principal
from dagy.domain.errors import NotFoundError, ValidationError
from dagy.domain.permissions import ForbiddenError, Role, a_role, may_grant, parse_role
from dagy.domain.tenancy import (KEYED, LEGACY, ApiKey, AuthenticationError, Membership,
                                 Organization, User, keyed_hash, new_api_key, normalize_email,
                                 secret_matches, split_api_key)

TOUCH_EVERY = timedelta(seconds=60)
MAX_KEY_NAME = 200


def bootstrap(deps: Deps, org_name: str = "default",
              email: str = "admin@localhost") -> tuple[Organization, str | None]:
    """Create the org, its owner and an owner API key unless the org exists.

    Returns (org, plaintext key) on first start, (org, None) afterwards: the key is
    shown once and only its keyed hash is stored.
    """
    now = deps.clock.now()
    email = normalize_email(email)
    with deps.uow() as uow:
        org = uow.orgs.get_by_name(org_name)
        if org is not None:
            return org, None
        org = Organization(deps.ids.new_id(), org_name, now)
        user = uow.users.get_by_email(email)
        if user is None:
            user = User(deps.ids.new_id(), email, now)
            uow.users.add(user)
        key, plaintext = new_api_key(deps.ids.new_id(), org.org_id, user.user_id, "bootstrap",
                                     now, pepper=deps.api_key_pepper, role=Role.OWNER)
        uow.orgs.add(org)
        seed_environments(uow, org.org_id, now)
        uow.memberships.add(Membership(org.org_id, user.user_id, Role.OWNER, now))
        uow.api_keys.add(key)
        audit_trail.record(uow, deps, Principal(org.org_id), "org.create", "org", org.org_id,
                           after={**org_view(org), "owner_user_id": user.user_id,
                                  "owner_email": user.email, "owner_key_id": key.key_id})
        uow.commit()
    return org, plaintext


def create_api_key(deps: Deps, principal: Principal, name: str = "default", *,
                   role: str | Role | None = None, environments: list[str] | None = None,
                   expires_at: datetime | None = None) -> tuple[ApiKey, str]:
    """A new key of the caller's org, with a role no higher than the caller's own.
    Returns (stored key, plaintext): the plaintext is shown once."""
    granted = principal.role if role is None else parse_role(str(getattr(role, "value", role)))
    if not may_grant(principal.role, granted):
        raise ForbiddenError(f"{a_role(principal.role)} cannot create a key with role {granted}")
    name = _key_name(name)
    now = deps.clock.now()
    if expires_at is not None and expires_at.utcoffset() is None:
        raise ValidationError("expires_at needs a time zone, e.g. 2030-01-01T00:00:00Z")
    if expires_at is not None and expires_at <= now:
        raise ValidationError("expires_at must be in the future")
    if environments is not None:
        environments = sorted({_environment_name(e) for e in environments})
        if principal.environments is not None and not set(environments) <= set(
                principal.environments):
            raise ForbiddenError("a key cannot act in environments its creator cannot")
    elif principal.environments is not None:
        environments = list(principal.environments)
    with deps.uow() as uow:
        for environment in environments or ():  # a typo would make a key that acts nowhere
            if uow.environments.get(principal.org_id, environment) is None:
                raise NotFoundError(f"environment {environment!r} not found; see "
                                    "GET /environments")
        key, plaintext = new_api_key(deps.ids.new_id(), principal.org_id,
                                     principal.user_id or "", name, now,
                                     pepper=deps.api_key_pepper, role=granted,
                                     environments=environments, expires_at=expires_at)
        uow.api_keys.add(key)
        audit_trail.record(uow, deps, principal, "api_key.create", "api_key", key.key_id,
                           after=api_key_view(key))
        uow.commit()
    return key, plaintext


def list_api_keys(deps: Deps, principal: Principal, limit: int = 50,
                  cursor: str | None = None) -> tuple[list[ApiKey], str | None]:
    with deps.uow() as uow:
        return uow.api_keys.list(principal.org_id, limit=limit, cursor=cursor)


def revoke_api_key(deps: Deps, principal: Principal, key_id: str) -> ApiKey:
    """Revoked at once: the next request with it is refused. Revoking twice is a no-op."""
    with deps.uow() as uow:
        key = uow.api_keys.get(principal.org_id, key_id)
        if key is None:
            raise NotFoundError(f"API key {key_id!r} not found")
        if not may_grant(principal.role, key.role):
            raise ForbiddenError(f"{a_role(principal.role)} cannot revoke a key with role {key.role}")
        if not key.revoked:
            before = api_key_view(key)
            key.revoked = True
            uow.api_keys.update(key)
            audit_trail.record(uow, deps, principal, "api_key.revoke", "api_key", key_id,
                               before=before, after=api_key_view(key))
            uow.commit()
    deps.caches.credentials_changed()
    return key


@dataclass
class Caller:
    org_name: str
    email: str | None = None
    orgs: list[tuple[str, str, Role]] = field(default_factory=list)  # (org id, name, role)


def describe_caller(deps: Deps, principal: Principal) -> Caller:
    """The caller's org name and, for a person, email and every org it belongs to."""
    with deps.uow() as uow:
        org = uow.orgs.get(principal.org_id)
        caller = Caller(org.name if org else principal.org_id)
        user = uow.users.get(principal.user_id) if principal.user_id else None
        if user is not None:
            caller.email = user.email
            for membership in uow.memberships.for_user(user.user_id):
                other = uow.orgs.get(membership.org_id)
                caller.orgs.append((membership.org_id, other.name if other else "",
                                    membership.role))
    return caller


def authenticate(deps: Deps, presented: str | None) -> Principal:
    """Resolve a Bearer API key to its org and role; AuthenticationError if anything is
    off (missing, malformed, unknown, wrong secret, revoked, expired)."""
    if not presented:
        raise AuthenticationError("missing API key: send 'Authorization: Bearer <api_key>'")
    cached = cached_principal(deps, presented)
    if cached is not None:
        return cached
    cache, now = deps.caches.principals, deps.clock.now()
    prefix, secret = split_api_key(presented)
    with deps.uow() as uow:
        key = uow.api_keys.get_by_prefix(prefix)
        if key is None or not secret_matches(key, secret, deps.api_key_pepper):
            raise AuthenticationError("invalid API key")
        if key.revoked:
            raise AuthenticationError("this API key was revoked")
        if not key.usable_at(now):
            raise AuthenticationError("this API key has expired")
        if _needs_write(key, now):
            if key.hash_scheme == LEGACY:  # made before the pepper: store the keyed hash
                key.secret_hash, key.hash_scheme = keyed_hash(secret, deps.api_key_pepper), KEYED
            key.last_used_at = now
            uow.api_keys.update(key)
            uow.commit()
    envs = tuple(key.environments) if key.environments is not None else None
    principal = Principal(key.org_id, key.user_id or None, Role(key.role), key.key_id, envs)
    if cache is not None:
        cache.put(_digest(presented), (principal, key.expires_at))
    return principal


def cached_principal(deps: Deps, presented: str) -> Principal | None:
    """The principal of a key seen in the last minute, from memory only (no I/O, so an
    event loop may call it); None when the key must be read (or nothing is cached)."""
    cache = deps.caches.principals
    if cache is None or not presented:
        return None
    hit = cache.get(_digest(presented))
    if hit is None or (hit[1] is not None and deps.clock.now() >= hit[1]):
        return None
    return hit[0]


def _digest(presented: str) -> str:
    return hashlib.sha256(presented.encode("utf-8", "surrogatepass")).hexdigest()


def _needs_write(key: ApiKey, now: datetime) -> bool:
    return (key.hash_scheme == LEGACY or key.last_used_at is None
            or now - key.last_used_at >= TOUCH_EVERY)


def _key_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_KEY_NAME:
        raise ValidationError(f"a key name is 1 to {MAX_KEY_NAME} characters")
    return name.strip()


def _environment_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise ValidationError("an environment name is 1 to 100 characters")
    return name.strip()
