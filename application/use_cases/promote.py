"""Promote a deployment into another environment: the same flow version, parameters,
executor, runtime tier and tags, under a deployment of that environment.

Deployment names stay unique per org, so the promoted copy is its own deployment: the
one named in the request, else the deployment of the same flow in the target
environment that was promoted from this one before, else `<name>-<environment>`.
Promoting again (after the source moved to a new version) moves that same target to the
source's version. Schedules are not copied: a schedule starts runs by itself, so a copy
would make production start running on the cadence chosen for development the moment
it is promoted; the target keeps the schedule set on it (or none).
"""

from __future__ import annotations

from typing import Any

from dagy.application import audit_trail
from dagy.application.deps import Deps
from dagy.application.environments import check_environment
from dagy.application.principal import Principal
from dagy.application.use_cases.flows import check_name, resolve_version
from dagy.domain.catalog import Deployment
from dagy.domain.environments import check_env_name
from dagy.domain.errors import ConflictError, NotFoundError, ValidationError

_PAGE, _MAX_PAGES = 200, 50  # bounded scan of one flow's deployments


def promote_deployment(deps: Deps, principal: Principal, name: str, to_environment: Any,
                       target_name: Any = None) -> tuple[Deployment, bool, Deployment]:
    """Create (created=True) or update the target deployment. Returns (target, created,
    source). The target environment is checked with the environment guard (a protected
    one needs admin; an API key acts only in its environments)."""
    to_environment = check_env_name(to_environment, "to_environment")
    if target_name is not None:
        check_name(target_name, "name")
    now = deps.clock.now()
    with deps.uow() as uow:
        source = uow.deployments.get(principal.org_id, name)
        if source is None:
            raise NotFoundError(f"deployment {name!r} not found")
        check_environment(uow, principal, to_environment, changing=True)
        if source.environment == to_environment:
            raise ValidationError(f"deployment {name!r} is already in environment "
                                  f"{to_environment!r}; promote it to another one")
        version = resolve_version(uow, principal.org_id, source.flow_name,
                                  source.flow_version).flow_version
        target = _target(uow, principal.org_id, source, to_environment, target_name)
        before = _view(target) if target is not None else None
        if target is None:
            target = Deployment(principal.org_id,
                                target_name or _default_name(name, to_environment),
                                source.flow_name, version, created_at=now,
                                environment=to_environment)
        _copy(source, target, version, now)
        if before is None:
            uow.deployments.add(target)
        else:
            uow.deployments.update(target)
        _audit(uow, deps, principal, target, before=before,
               after={**_view(target), "source": name})
        uow.commit()
    return target, before is None, source


def _target(uow: Any, org_id: str, source: Deployment, environment: str,
            explicit: str | None) -> Deployment | None:
    """The existing deployment to update, or None to create one."""
    if explicit is not None:
        found = uow.deployments.get(org_id, explicit)
        if found is not None:
            _check_target(found, source, environment)
        return found
    default = uow.deployments.get(org_id, _default_name(source.deployment_name, environment))
    if default is not None:
        _check_target(default, source, environment)
        return default
    cursor = None
    for _ in range(_MAX_PAGES):
        page, cursor = uow.deployments.list(org_id, flow_name=source.flow_name, limit=_PAGE,
                                            cursor=cursor)
        for deployment in page:
            if (deployment.environment == environment
                    and deployment.promoted_from == source.deployment_name):
                return deployment
        if cursor is None:
            break
    return None


def _check_target(target: Deployment, source: Deployment, environment: str) -> None:
    if target.deployment_name == source.deployment_name:
        raise ValidationError("the target name must differ from the promoted deployment's")
    if target.flow_name != source.flow_name:
        raise ConflictError(f"deployment {target.deployment_name!r} belongs to flow "
                            f"{target.flow_name!r}, not {source.flow_name!r}")
    if target.environment != environment:
        raise ConflictError(f"deployment {target.deployment_name!r} is in environment "
                            f"{target.environment!r}, not {environment!r}")


def _default_name(name: str, environment: str) -> str:
    default = f"{name}-{environment}"
    if len(default) > 200:
        raise ValidationError(f"{default[:40]}... is longer than 200 characters; "
                              "name the target deployment (name)")
    return default


def _copy(source: Deployment, target: Deployment, version: str, now: Any) -> None:
    """What a promotion carries over; the target's schedule and status stay its own."""
    target.flow_version = version
    target.parameters = dict(source.parameters)
    target.tags = dict(source.tags)
    target.default_executor = source.default_executor
    target.default_runtime_tier = source.default_runtime_tier
    target.promoted_from = source.deployment_name
    target.updated_at = now


def _view(deployment: Deployment) -> dict[str, Any]:
    return {"deployment_name": deployment.deployment_name,
            "environment": deployment.environment, "flow_name": deployment.flow_name,
            "flow_version": deployment.flow_version,
            "default_runtime_tier": deployment.default_runtime_tier,
            "default_executor": deployment.default_executor,
            "parameters": deployment.parameters}


def _audit(uow: Any, deps: Deps, principal: Principal, target: Deployment, *,
           before: Any, after: Any) -> None:
    audit_trail.record(uow, deps, principal, "deployment.promote", "deployment",
                       target.deployment_name, before=before, after=after)
