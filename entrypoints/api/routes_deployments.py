"""Deployments: a name bound to a flow version, with defaults for its runs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from dagy.application.use_cases import backfill as backfills, deployments
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep
from dagy.entrypoints.api.pagination import DEFAULT_LIMIT, Cursor, Limit, cursor_errors, paged
from dagy.entrypoints.api.schemas_common import ExecutorName, PlainName, TierName, errors
from dagy.entrypoints.api.schemas_backfill import BackfillBody, BackfillView
from dagy.entrypoints.api.schemas_deployments import DeploymentPage, DeploymentSaved, DeploymentView
from dagy.entrypoints.api.schemas_environments import EnvName



router = APIRouter(tags=["deployments"])

Name = PlainName
Short = Annotated[str, Field(max_length=200)]


class DeploymentChanges(BaseModel):
    """Fields a deployment may change; only the fields sent are applied."""

    model_config = ConfigDict(extra="forbid", strict=True)

    flow_version: Name = None  # type: ignore[assignment]  # may be left out, not null
    schedule: Short | None = None
    default_executor: ExecutorName | None = None
    default_runtime_tier: TierName | None = None
    tags: dict[str, str] | None = None
    parameters: dict[str, Any] | None = None


class DeploymentBody(DeploymentChanges):
    deployment_name: Name
    flow_name: Name
    flow_version: Name | None = None  # None: "latest"
    environment: EnvName | None = None  # None: development (an existing one keeps its own)


@router.post("/deployments", status_code=201, response_model=DeploymentSaved,
             responses={200: {"model": DeploymentSaved, "description": "Updated in place"},
                        **errors(404, 409)})
def create_deployment(body: DeploymentBody, deps: DepsDep, principal: PrincipalDep,
                      response: Response) -> DeploymentSaved:
    """Create (201) or update in place (200) the named deployment."""
    deployment, created = deployments.create_deployment(
        deps, principal, body.model_dump(exclude_unset=True))
    response.status_code = 201 if created else 200
    return DeploymentSaved.from_entity(deployment, created=created)


@router.get("/deployments", response_model=DeploymentPage, responses=errors())
def list_deployments(deps: DepsDep, principal: PrincipalDep,
                     flow_name: Annotated[str | None, Query(max_length=200)] = None,
                     limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> dict[str, Any]:
    with cursor_errors(cursor):
        result = deployments.list_deployments(deps, principal, flow_name=flow_name,
                                              limit=limit, cursor=cursor)
    return paged(result, DeploymentView.from_entity)


@router.get("/deployments/{deployment_name}", response_model=DeploymentView,
            responses=errors(404))
def get_deployment(deployment_name: str, deps: DepsDep, principal: PrincipalDep) -> DeploymentView:
    deployment = deployments.get_deployment(deps, principal, deployment_name)
    return DeploymentView.from_entity(deployment)


@router.patch("/deployments/{deployment_name}", response_model=DeploymentView,
              responses=errors(404, 409))
def patch_deployment(deployment_name: str, body: DeploymentChanges, deps: DepsDep,
                     principal: PrincipalDep) -> DeploymentView:
    changes = body.model_dump(exclude_unset=True)
    deployment = deployments.patch_deployment(deps, principal, deployment_name, changes)
    return DeploymentView.from_entity(deployment)


@router.delete("/deployments/{deployment_name}", status_code=204, responses=errors(404))
def delete_deployment(deployment_name: str, deps: DepsDep, principal: PrincipalDep) -> Response:
    deployments.delete_deployment(deps, principal, deployment_name)
    return Response(status_code=204)


@router.post("/deployments/{deployment_name}/pause", response_model=DeploymentView,
             responses=errors(404))
def pause_deployment(deployment_name: str, deps: DepsDep,
                     principal: PrincipalDep) -> DeploymentView:
    deployment = deployments.set_paused(deps, principal, deployment_name, True)
    return DeploymentView.from_entity(deployment)


@router.post("/deployments/{deployment_name}/resume", response_model=DeploymentView,
             responses=errors(404))

def resume_deployment(deployment_name: str, deps: DepsDep,
                      principal: PrincipalDep) -> DeploymentView:
    deployment = deployments.set_paused(deps, principal, deployment_name, False)
    return DeploymentView.from_entity(deployment)


@router.post("/deployments/{deployment_name}/backfill", response_model=BackfillView,
             responses=errors(404, 409))
def backfill(deployment_name: str, body: BackfillBody, deps: DepsDep,
             principal: PrincipalDep) -> BackfillView:
    """One run per slot of the deployment's schedule in [start, end), each with the slot's
    idempotency key (a repeat creates nothing twice; the tick skips backfilled slots)."""
    result = backfills.backfill(deps, principal, deployment_name, body.start, body.end,
                                body.schedule_id, body.max_concurrent)
    return BackfillView.from_result(result)
