"""An org's environments: create, list, read, change and delete them.

The API has checked `environments:read` / `environments:write` already. Here the rules
that depend on the environment itself: making, changing or unprotecting a protected
environment needs `environments:protected`; an API key limited to some environments
manages only those; a protected environment, or one that deployments still belong to,
cannot be deleted (409, naming why).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from dagy.application import audit_trail
from dagy.application.deps import Deps
from dagy.application.environments import check_key_scope
from dagy.application.principal import Principal
from dagy.domain.environments import (Environment, check_config, check_env_name,
                                      check_executor, check_tier)
from dagy.domain.errors import ConflictError, NotFoundError, ValidationError
from dagy.domain.permissions import require

MAX_ENVIRONMENTS = 100
CHANGEABLE = ("is_protected", "default_executor", "default_runtime_tier", "config_json")


def create_environment(deps: Deps, principal: Principal, data: dict[str, Any]) -> Environment:
    """A new environment of the caller's org; ConflictError if the name is taken."""
    name = check_env_name(data.get("env_name"))
    unknown = set(data) - set(CHANGEABLE) - {"env_name"}
    if unknown:
        raise ValidationError(f"unknown fields: {', '.join(sorted(unknown))}")
    check_key_scope(principal, name)
    now = deps.clock.now()
    environment = Environment(principal.org_id, name, created_at=now, updated_at=now)
    _apply(environment, {k: v for k, v in data.items() if k != "env_name"})
    if environment.is_protected:
        require(principal.role, "environments:protected")
    with deps.uow() as uow:
        if uow.environments.get(principal.org_id, name) is not None:
            raise ConflictError(f"environment {name!r} already exists")
        if len(uow.environments.list(principal.org_id)) >= MAX_ENVIRONMENTS:
            raise ConflictError(f"an organization has at most {MAX_ENVIRONMENTS} environments")
        uow.environments.add(environment)
        _audit(uow, deps, principal, "environment.create", name, after=view(environment))
        uow.commit()
    return environment


def list_environments(deps: Deps, principal: Principal) -> list[Environment]:
    """Every environment of the org, in creation order (the seeded three first)."""
    with deps.uow() as uow:
        return uow.environments.list(principal.org_id)


def get_environment(deps: Deps, principal: Principal, name: str) -> Environment:
    with deps.uow() as uow:
        environment = uow.environments.get(principal.org_id, name)
    if environment is None:
        raise NotFoundError(f"environment {name!r} not found")
    return environment


def update_environment(deps: Deps, principal: Principal, name: str,
                       changes: dict[str, Any]) -> Environment:
    """Apply the fields sent. A protected environment, or making one protected or not,
    needs `environments:protected`."""
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise ValidationError(f"cannot change {', '.join(sorted(unknown))}; "
                              f"changeable fields: {', '.join(CHANGEABLE)}")
    with deps.uow() as uow:
        environment = uow.environments.get(principal.org_id, name)
        if environment is None:
            raise NotFoundError(f"environment {name!r} not found")
        check_key_scope(principal, name)
        before = view(environment)
        _apply(environment, changes)
        if before["is_protected"] or environment.is_protected:
            require(principal.role, "environments:protected")
        environment.updated_at = deps.clock.now()
        uow.environments.update(environment)
        _audit(uow, deps, principal, "environment.update", name, before=before,
               after=view(environment))
        uow.commit()
    return environment


def delete_environment(deps: Deps, principal: Principal, name: str) -> None:
    """ConflictError for a protected environment (unprotect it first) or one that
    deployments belong to (delete or move them first). The row is locked before the
    deployments are counted, so a concurrent deploy into it is either counted or refused."""
    with deps.uow() as uow:
        environment = uow.environments.get(principal.org_id, name, lock="update")
        if environment is None:
            raise NotFoundError(f"environment {name!r} not found")
        check_key_scope(principal, name)
        if environment.is_protected:
            raise ConflictError(f"environment {name!r} is protected and cannot be deleted; "
                                "unprotect it first (is_protected: false)")
        used = uow.environments.count_deployments(principal.org_id, name)
        if used:
            noun = "deployment belongs" if used == 1 else "deployments belong"
            raise ConflictError(f"environment {name!r} cannot be deleted: {used} {noun} "
                                "to it; delete them first")
        uow.environments.delete(principal.org_id, name)
        _audit(uow, deps, principal, "environment.delete", name, before=view(environment))
        uow.commit()


def view(environment: Environment) -> dict[str, Any]:
    """What the audit log keeps of an environment (JSON-able)."""
    data = asdict(environment)
    for key in ("org_id", "created_at", "updated_at"):
        data.pop(key)
    return data


def _apply(environment: Environment, changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if key == "is_protected":
            if not isinstance(value, bool):
                raise ValidationError("is_protected must be true or false")
        elif key == "default_executor":
            value = check_executor(value)
        elif key == "default_runtime_tier":
            value = check_tier(value)
        elif key == "config_json":
            value = check_config(value)
        setattr(environment, key, value)


def _audit(uow: Any, deps: Deps, principal: Principal, action: str, name: str, *,
           before: Any = None, after: Any = None) -> None:
    audit_trail.record(uow, deps, principal, action, "environment", name, before=before,
                       after=after)
