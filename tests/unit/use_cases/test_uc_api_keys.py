"""API keys as service accounts: a role never above the creator's, revocation and expiry
that take effect on the very next request, keyed hashes at rest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dagy.application.principal import Principal
from dagy.application.use_cases.accounts import (authenticate, bootstrap, create_api_key,
                                                 list_api_keys, revoke_api_key)
from dagy.domain.errors import NotFoundError, ValidationError
from dagy.domain.permissions import ForbiddenError, Role
from dagy.domain.tenancy import AuthenticationError, hash_secret, split_api_key
from dagy.entrypoints.wiring import build_deps


@pytest.fixture
def deps():
    return build_deps()


def test_the_bootstrap_key_is_its_orgs_owner_and_stored_as_a_keyed_hash(deps):
    org, plaintext = bootstrap(deps, "acme")
    principal = authenticate(deps, plaintext)
    assert (principal.org_id, principal.role) == (org.org_id, Role.OWNER)
    assert bootstrap(deps, "acme") == (org, None)
    prefix, secret = split_api_key(plaintext)
    with deps.uow() as uow:
        stored = uow.api_keys.get_by_prefix(prefix)
    assert stored.hash_scheme == "hmac-sha256" and stored.secret_hash != hash_secret(secret)
    assert secret not in repr(stored)


def test_a_key_gets_no_role_above_its_creators_and_acts_with_its_own(deps):
    org, plaintext = bootstrap(deps, "acme")
    owner = authenticate(deps, plaintext)
    _, dev_text = create_api_key(deps, owner, "ci", role="developer", environments=["staging"])
    dev = authenticate(deps, dev_text)
    assert dev.role is Role.DEVELOPER and dev.environments == ("staging",)
    with pytest.raises(ForbiddenError, match="developer cannot create a key with role admin"):
        create_api_key(deps, dev, "escalate", role="admin")
    with pytest.raises(ForbiddenError, match="environments its creator cannot"):
        create_api_key(deps, dev, "wider", environments=["production"])
    viewer_key, _ = create_api_key(deps, dev, "read-only", role=Role.VIEWER)
    assert viewer_key.environments == ["staging"]  # inherits the creator's limit
    with pytest.raises(ValidationError):
        create_api_key(deps, owner, "x" * 500)
    with pytest.raises(ValidationError):
        create_api_key(deps, owner, "superuser", role="root")


def test_revocation_and_expiry_take_effect_on_the_next_request(deps):
    _, plaintext = bootstrap(deps, "acme")
    owner = authenticate(deps, plaintext)
    key, text = create_api_key(deps, owner, "temp")
    assert authenticate(deps, text).key_id == key.key_id
    revoke_api_key(deps, owner, key.key_id)
    with pytest.raises(AuthenticationError, match="revoked"):
        authenticate(deps, text)
    soon = deps.clock.now() + timedelta(milliseconds=50)
    expiring, expiring_text = create_api_key(deps, owner, "short", expires_at=soon)
    assert authenticate(deps, expiring_text).key_id == expiring.key_id
    import time
    time.sleep(0.06)
    with pytest.raises(AuthenticationError, match="expired"):
        authenticate(deps, expiring_text)
    with pytest.raises(ValidationError, match="future"):
        create_api_key(deps, owner, "past", expires_at=deps.clock.now() - timedelta(seconds=1))
    names = [k.name for k in list_api_keys(deps, owner)[0]]
    assert names[:2] == ["short", "temp"] and "bootstrap" in names


def test_another_orgs_key_is_not_found_and_a_lower_role_cannot_revoke_a_higher_one(deps):
    _, a_text = bootstrap(deps, "org-a")
    _, b_text = bootstrap(deps, "org-b")
    a, b = authenticate(deps, a_text), authenticate(deps, b_text)
    with pytest.raises(NotFoundError):
        revoke_api_key(deps, b, a.key_id)
    assert authenticate(deps, a_text).key_id == a.key_id  # untouched
    _, op_text = create_api_key(deps, a, "ops", role="operator")
    with pytest.raises(ForbiddenError):
        revoke_api_key(deps, authenticate(deps, op_text), a.key_id)
    with pytest.raises(AuthenticationError, match="invalid"):
        authenticate(deps, a_text[:-2] + "xx")
    assert isinstance(Principal("o").role, Role)


def test_with_the_sole_writer_cache_a_revoked_or_expired_key_is_still_refused_at_once(deps):
    from dagy.application.caches import LruCache
    from dagy.application.use_cases.accounts import cached_principal
    deps.caches.principals = LruCache(16, ttl=60)
    _, plaintext = bootstrap(deps, "acme")
    owner = authenticate(deps, plaintext)
    key, text = create_api_key(deps, owner, "cached")
    assert authenticate(deps, text).key_id == key.key_id
    assert cached_principal(deps, text).key_id == key.key_id  # answered from memory
    revoke_api_key(deps, owner, key.key_id)
    assert cached_principal(deps, text) is None
    with pytest.raises(AuthenticationError, match="revoked"):
        authenticate(deps, text)
    soon = deps.clock.now() + timedelta(milliseconds=50)
    _, expiring = create_api_key(deps, owner, "short", expires_at=soon)
    assert cached_principal(deps, expiring) is None and authenticate(deps, expiring)
    assert cached_principal(deps, expiring) is not None
    import time
    time.sleep(0.06)
    assert cached_principal(deps, expiring) is None
    with pytest.raises(AuthenticationError, match="expired"):
        authenticate(deps, expiring)
