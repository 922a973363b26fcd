"""Deployments: a name bound to a flow version, with defaults for its runs."""

from __future__ import annotations

from typing import Any

from dagy.application import audit_trail
from dagy.application.audit_views import deployment_view
from dagy.application.deps import Deps
from dagy.application.environments import check_environment, check_key_scope
from dagy.application.principal import Principal
from dagy.application.use_cases.flows import check_name, resolve_version
from dagy.application.use_cases.schedules import sync_deployment_schedule
from dagy.domain.catalog import DEPLOYMENT_ACTIVE, DEPLOYMENT_PAUSED, Deployment
from dagy.domain.environments import DEFAULT_ENVIRONMENT, check_env_name
from dagy.domain.errors import ConflictError, NotFoundError, ValidationError
from dagy.domain.json_values import check_storable
from dagy.domain.tiers import parse_executor, parse_tier

PATCHABLE = ("flow_version", "schedule", "default_executor", "default_runtime_tier", "tags",
             "parameters")


def create_deployment(deps: Deps, principal: Principal, data: dict[str, Any],
                      upsert: bool = True) -> tuple[Deployment, bool]:
    """Create, or with `upsert` update an existing one in place. Returns (deployment, created).

    `environment` (default development; an existing deployment keeps its own) passes the
    environment guard: deploying into a protected one needs admin. A deployment moves to
    another environment only by promotion."""
    name = data.get("deployment_name")
    check_name(name, "deployment_name")
    check_name(data.get("flow_name"), "flow_name")
    environment = data.get("environment")
    if environment is not None:
        check_env_name(environment, "environment")
    version = data.get("flow_version") or "latest"
    now = deps.clock.now()
    with deps.uow() as uow:
        resolve_version(uow, principal.org_id, data["flow_name"], version)
        existing = uow.deployments.get(principal.org_id, name)
        if existing is not None:
            if not upsert:
                raise ConflictError(f"deployment {name!r} already exists")
            if existing.flow_name != data["flow_name"]:
                raise ConflictError(
                    f"deployment {name!r} belongs to flow {existing.flow_name!r}")
            if environment is not None and environment != existing.environment:
                raise ConflictError(
                    f"deployment {name!r} is in environment {existing.environment!r}; "
                    f"promote it to {environment!r} instead")
            check_environment(uow, principal, existing.environment, changing=True)
            before = deployment_view(existing)
            _apply(existing, {**{k: v for k, v in data.items() if k in PATCHABLE},
                              "flow_version": version})
            existing.updated_at = now
            uow.deployments.update(existing)
            sync_deployment_schedule(deps, uow, existing)
            audit_trail.record(uow, deps, principal, "deployment.update", "deployment", name,
                               before=before, after=deployment_view(existing))
            uow.commit()
            return existing, False
        environment = environment or DEFAULT_ENVIRONMENT
        check_environment(uow, principal, environment, changing=True)
        deployment = Deployment(principal.org_id, name, data["flow_name"], version,
                                created_at=now, updated_at=now, environment=environment)
        _apply(deployment, {k: v for k, v in data.items() if k in PATCHABLE and k != "flow_version"})
        uow.deployments.add(deployment)
        sync_deployment_schedule(deps, uow, deployment)
        audit_trail.record(uow, deps, principal, "deployment.create", "deployment", name,
                           after=deployment_view(deployment))
        uow.commit()
    return deployment, True


def get_deployment(deps: Deps, principal: Principal, name: str) -> Deployment:
    with deps.uow() as uow:
        deployment = uow.deployments.get(principal.org_id, name)
    if deployment is None:
        raise NotFoundError(f"deployment {name!r} not found")
    return deployment


def list_deployments(deps: Deps, principal: Principal, *, flow_name: str | None = None,
                     limit: int = 50,
                     cursor: str | None = None) -> tuple[list[Deployment], str | None]:
    """The organization's deployments by name (of one flow, when `flow_name` is given)."""
    with deps.uow() as uow:
        return uow.deployments.list(principal.org_id, flow_name=flow_name, limit=limit,
                                    cursor=cursor)


def patch_deployment(deps: Deps, principal: Principal, name: str,
                     changes: dict[str, Any]) -> Deployment:
    unknown = set(changes) - set(PATCHABLE)
    if unknown:
        raise ValidationError(f"cannot change {', '.join(sorted(unknown))}; "
                              f"patchable fields: {', '.join(PATCHABLE)}")
    with deps.uow() as uow:
        deployment = uow.deployments.get(principal.org_id, name)
        if deployment is None:
            raise NotFoundError(f"deployment {name!r} not found")
        check_environment(uow, principal, deployment.environment, changing=True)
        if "flow_version" in changes:
            resolve_version(uow, principal.org_id, deployment.flow_name, changes["flow_version"])
        before = deployment_view(deployment)
        _apply(deployment, changes)
        deployment.updated_at = deps.clock.now()
        uow.deployments.update(deployment)
        if "schedule" in changes:
            sync_deployment_schedule(deps, uow, deployment)
        audit_trail.record(uow, deps, principal, "deployment.update", "deployment", name,
                           before=before, after=deployment_view(deployment))
        uow.commit()
    return deployment


def set_paused(deps: Deps, principal: Principal, name: str, paused: bool) -> Deployment:
    with deps.uow() as uow:
        deployment = uow.deployments.get(principal.org_id, name)
        if deployment is None:
            raise NotFoundError(f"deployment {name!r} not found")
        check_key_scope(principal, deployment.environment)
        before = deployment_view(deployment)
        deployment.status = DEPLOYMENT_PAUSED if paused else DEPLOYMENT_ACTIVE
        deployment.updated_at = deps.clock.now()
        uow.deployments.update(deployment)
        audit_trail.record(uow, deps, principal,
                           "deployment.pause" if paused else "deployment.resume",
                           "deployment", name, before=before, after=deployment_view(deployment))
        uow.commit()
    return deployment


def delete_deployment(deps: Deps, principal: Principal, name: str) -> None:
    """Delete a deployment and every schedule of it (a schedule cannot outlive what it
    runs); its runs remain, as history."""
    with deps.uow() as uow:
        deployment = uow.deployments.get(principal.org_id, name)
        if deployment is None:
            raise NotFoundError(f"deployment {name!r} not found")
        check_environment(uow, principal, deployment.environment, changing=True)
        uow.deployments.delete(principal.org_id, name)
        before = deployment_view(deployment)
        deployment.schedule = None
        sync_deployment_schedule(deps, uow, deployment)
        for schedule in uow.schedules.for_deployment(principal.org_id, name):
            uow.schedules.delete(principal.org_id, schedule.schedule_id)
        audit_trail.record(uow, deps, principal, "deployment.delete", "deployment", name,
                           before=before)
        uow.commit()


def _apply(deployment: Deployment, changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if key in ("tags", "parameters"):
            if value is None:
                value = {}
            if not isinstance(value, dict):
                raise ValidationError(f"{key} must be an object")
            check_storable(value, key)
        elif key == "default_executor":
            value = parse_executor(value)
        elif key == "default_runtime_tier":
            value = parse_tier(value)
        elif key == "flow_version":
            check_name(value, "flow_version")
        elif key == "schedule" and value is not None and not isinstance(value, str):
            raise ValidationError("schedule must be a cron expression string")
        setattr(deployment, key, value)
