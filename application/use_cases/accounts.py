"""Organizations, users and API keys: first-start bootstrap and authentication."""

from __future__ import annotations

from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.domain.tenancy import (AuthenticationError, Organization, User, new_api_key, secret_matches,
                            split_api_key)


def bootstrap(deps: Deps, org_name: str = "default",
              email: str = "admin@localhost") -> tuple[Organization, str | None]:
    """Create the org, an admin and an API key unless the org exists.

    Returns (org, plaintext key) on first start, (org, None) afterwards: the key is
    shown once and only its hash is stored.
    """
    now = deps.clock.now()
    with deps.uow() as uow:
        org = uow.orgs.get_by_name(org_name)
        if org is not None:
            return org, None
        org = Organization(deps.ids.new_id(), org_name, now)
        user = User(deps.ids.new_id(), org.org_id, email, "admin", now)
        key, plaintext = new_api_key(deps.ids.new_id(), org.org_id, user.user_id, "bootstrap", now)
        uow.orgs.add(org)
        uow.users.add(user)
        uow.api_keys.add(key)
        uow.commit()
    return org, plaintext


def create_api_key(deps: Deps, principal: Principal, name: str = "default") -> str:
    with deps.uow() as uow:
        key, plaintext = new_api_key(deps.ids.new_id(), principal.org_id,
                                     principal.user_id or "", name, deps.clock.now())
        uow.api_keys.add(key)
        uow.commit()
    return plaintext


def cached_principal(deps: Deps, presented: str | None) -> Principal | None:
    """The principal of a key seen recently, from memory only (no I/O, so an event loop
    may call it); None when the key must be looked up. AuthenticationError if missing."""
    if not presented:
        raise AuthenticationError("missing API key: send 'Authorization: Bearer <api_key>'")
    return deps.caches.principals.get(deps.caches.key_digest(presented))


def authenticate(deps: Deps, presented: str | None) -> Principal:
    """Resolve a Bearer API key to its org; AuthenticationError if anything is off.
    Blocking: an unknown key costs one indexed read."""
    cached = cached_principal(deps, presented)
    if cached is not None:
        return cached
    digest = deps.caches.key_digest(presented)  # a non-empty key: cached_principal checked
    prefix, secret = split_api_key(presented)
    with deps.uow() as uow:
        key = uow.api_keys.get_by_prefix(prefix)
    if key is None or key.revoked or not secret_matches(key, secret):
        raise AuthenticationError("invalid API key")
    return deps.caches.principals.put(digest, Principal(key.org_id, key.user_id,
                                                        tuple(key.scopes)))
