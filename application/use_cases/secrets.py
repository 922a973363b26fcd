"""An org's secrets: set (create or replace), list, read and delete, metadata only.

The API has checked `secrets:read` / `secrets:write` already. Here the rules that depend
on the scope: an environment-scoped secret goes through `check_environment` (unknown
environment: 404; changing a protected one's secrets needs admin; an API key limited to
other environments: 403). An org-wide secret reaches every environment, so an API key
limited to some environments may read its metadata but not change it. Values are
encrypted by `deps.secret_keyring` before they reach a repository and are never
returned: every answer here is a Secret whose `encrypted_value` the views leave out.
Each change writes an audit entry ("secret.set" / "secret.delete") without the value or
its ciphertext.
"""

from __future__ import annotations

from typing import Any

from dagy.application import audit_trail
from dagy.application.deps import Deps
from dagy.application.environments import check_environment
from dagy.application.ports.crypto import SecretCipher
from dagy.application.ports.repositories import UnitOfWork
from dagy.application.principal import Principal
from dagy.domain.environments import check_env_name
from dagy.domain.errors import NotFoundError, UnavailableError
from dagy.domain.permissions import ForbiddenError
from dagy.domain.secrets import (Secret, check_secret_name, check_secret_value,
                                 describe_scope)


def set_secret(deps: Deps, principal: Principal, name: str, value: str,
               environment: str | None = None) -> tuple[Secret, bool]:
    """Create or replace the secret `name` in its scope; (the stored secret, created)."""
    name, value = check_secret_name(name), check_secret_value(value)
    environment = _scope(environment)
    keyring = keyring_of(deps)
    now, actor = deps.clock.now(), principal.actor
    with deps.uow() as uow:
        _check_scope(uow, principal, environment, changing=True)
        ciphertext = keyring.encrypt(value)
        old = uow.secrets.get(principal.org_id, environment, name)
        if old is None:
            secret = Secret(principal.org_id, name, ciphertext, keyring.current_key_id,
                            environment, actor, actor, now, now)
            uow.secrets.add(secret)
        else:
            secret = Secret(principal.org_id, name, ciphertext, keyring.current_key_id,
                            environment, old.created_by, actor, old.created_at, now)
            uow.secrets.update(secret)
        audit_trail.record(uow, deps, principal, "secret.set", "secret", name,
                           before=metadata(old), after=metadata(secret))
        uow.commit()
    return secret, old is None


def list_secrets(deps: Deps, principal: Principal, environment: str | None = None, *,
                 limit: int = 50, cursor: str | None = None) -> tuple[list[Secret], str | None]:
    """A page of the org's secrets, oldest first: of every scope, or (`environment`)
    only those scoped to that environment. An API key limited to some environments sees
    the org-wide secrets and those of its environments only (a page may then hold fewer
    than `limit`; its cursor still goes on)."""
    environment = _scope(environment)
    with deps.uow() as uow:
        if environment is not None:
            check_environment(uow, principal, environment, changing=False)
        found, next_cursor = uow.secrets.list(principal.org_id, environment=environment,
                                              limit=limit, cursor=cursor)
    allowed = principal.environments
    if allowed is not None:
        found = [s for s in found if s.environment is None or s.environment in allowed]
    return found, next_cursor


def get_secret(deps: Deps, principal: Principal, name: str,
               environment: str | None = None) -> Secret:
    """The secret of exactly that scope (None: the org-wide one); NotFoundError else."""
    name, environment = check_secret_name(name), _scope(environment)
    with deps.uow() as uow:
        _check_scope(uow, principal, environment, changing=False)
        return _found(uow, principal, environment, name)


def delete_secret(deps: Deps, principal: Principal, name: str,
                  environment: str | None = None) -> None:
    name, environment = check_secret_name(name), _scope(environment)
    with deps.uow() as uow:
        _check_scope(uow, principal, environment, changing=True)
        old = _found(uow, principal, environment, name)
        uow.secrets.delete(principal.org_id, environment, name)
        audit_trail.record(uow, deps, principal, "secret.delete", "secret", name,
                           before=metadata(old))
        uow.commit()


def metadata(secret: Secret | None) -> dict[str, Any] | None:
    """What may be shown of a secret (API answers, audit entries): never the value, nor
    its ciphertext."""
    if secret is None:
        return None
    return {"name": secret.secret_name, "environment": secret.environment,
            "created_at": secret.created_at, "updated_at": secret.updated_at,
            "created_by": secret.created_by, "updated_by": secret.updated_by}


def keyring_of(deps: Deps) -> SecretCipher:
    if deps.secret_keyring is None:
        raise UnavailableError("secrets are not available: this server has no secret keys "
                               "(DAGY_SECRET_KEYS)")
    return deps.secret_keyring


def _scope(environment: str | None) -> str | None:
    """None or "" (org-wide) as None; an environment name checked as a slug."""
    if environment is None or environment == "":
        return None
    return check_env_name(environment, "environment")


def _check_scope(uow: UnitOfWork, principal: Principal, environment: str | None, *,
                 changing: bool) -> None:
    if environment is not None:
        check_environment(uow, principal, environment, changing=changing)
    elif changing and principal.environments is not None:
        raise ForbiddenError("this API key may act only in environments: "
                             f"{', '.join(principal.environments) or 'none'}; an org-wide "
                             "secret reaches every environment")


def _found(uow: UnitOfWork, principal: Principal, environment: str | None,
           name: str) -> Secret:
    secret = uow.secrets.get(principal.org_id, environment, name)
    if secret is None:
        raise NotFoundError(f"secret {name!r} not found ({describe_scope(environment)})")
    return secret
