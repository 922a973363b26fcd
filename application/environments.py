"""Who may act in which environment: the one guard every environment-scoped use case
calls (deploying, promoting, triggering runs, changing secrets), and the seeding of a new
org's environments.

Two rules stack on the role's permissions (the API has already checked those):
- an API key made for some environments (`Principal.environments`) acts only in them;
- a protected environment (production, as seeded) is changed - deployed into, promoted
  into, its secrets set - only by an admin or owner.
"""

from __future__ import annotations

from datetime import datetime

from dagy.application.ports.repositories import UnitOfWork
from dagy.application.principal import Principal
from dagy.domain.environments import Environment, seeded
from dagy.domain.errors import NotFoundError
from dagy.domain.permissions import ForbiddenError, Role

PROTECTED_ROLE = Role.ADMIN


def seed_environments(uow: UnitOfWork, org_id: str, now: datetime | None) -> list[Environment]:
    """Add development, staging and production (protected) to a new org, inside the
    caller's unit of work (the caller commits). Environments the org already has are
    left as they are, so calling it twice is harmless. Returns those it added."""
    added = []
    for environment in seeded(org_id, now):
        if uow.environments.get(org_id, environment.env_name) is None:
            uow.environments.add(environment)
            added.append(environment)
    return added


def check_key_scope(principal: Principal, name: str) -> None:
    """ForbiddenError when the caller is an API key limited to other environments. Reads
    nothing, so hot paths (triggering a run) call it without a query."""
    allowed = principal.environments
    if allowed is not None and name not in allowed:
        shown = ", ".join(allowed) or "none"
        raise ForbiddenError(f"this API key may act only in environments: {shown}; "
                             f"not in {name!r}")


def check_run_scope(uow: UnitOfWork, principal: Principal, deployment_name: str | None) -> None:
    """ForbiddenError when an API key limited to some environments acts on a run of a
    deployment elsewhere (or of one that no longer exists, whose environment is unknown).
    Reads the deployment only for such a key."""
    if principal.environments is None:
        return
    deployment = (uow.deployments.get(principal.org_id, deployment_name)
                  if deployment_name else None)
    if deployment is None:
        raise ForbiddenError("this API key may act only in environments: "
                             f"{', '.join(principal.environments) or 'none'}; this run's "
                             "deployment is gone, so its environment is unknown")
    check_key_scope(principal, deployment.environment)


def run_defaults(uow: UnitOfWork, org_id: str, name: str,
                 memo: dict | None = None) -> tuple[str | None, str | None]:
    """(default runtime tier, default executor) of the environment `name`, for the runs
    of its deployments that set neither themselves; (None, None) if it has none. `memo`
    (a trigger batch's read cache) keeps one read per environment per transaction."""
    key = (org_id, "environment", name)
    if memo is not None and key in memo:
        return memo[key]
    environment = uow.environments.get(org_id, name)
    found = ((environment.default_runtime_tier, environment.default_executor)
             if environment is not None else (None, None))
    if memo is not None:
        memo[key] = found
    return found


def check_environment(uow: UnitOfWork, principal: Principal, name: str, *,
                      changing: bool) -> Environment:
    """The caller's environment `name`, if the caller may act in it.

    NotFoundError: the org has no such environment. ForbiddenError: `changing` a
    protected environment with a role below admin, or the caller is an API key limited
    to other environments. `changing` also share-locks the environment's row until the
    caller's transaction ends, so it cannot be deleted under the change."""
    environment = (uow.environments.get(principal.org_id, name,
                                        lock="share" if changing else None)
                   if isinstance(name, str) else None)
    if environment is None:
        raise NotFoundError(f"environment {name!r} not found")
    if changing and environment.is_protected and principal.role.rank < PROTECTED_ROLE.rank:
        raise ForbiddenError(f"environment {name!r} is protected: changing it needs role "
                             f"{PROTECTED_ROLE} or above; the caller is {principal.role}")
    check_key_scope(principal, name)
    return environment
