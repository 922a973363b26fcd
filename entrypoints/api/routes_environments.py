"""Environments of the caller's org, and promoting a deployment into one of them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from dagy.application.use_cases import environments, promote
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep
from dagy.entrypoints.api.schemas_common import errors
from dagy.entrypoints.api.schemas_environments import (EnvironmentBody, EnvironmentChanges,
                                                       EnvironmentList, EnvironmentView,
                                                       PromoteBody, PromotedView)

router = APIRouter(tags=["environments"])


@router.post("/environments", status_code=201, response_model=EnvironmentView,
             responses=errors(409))
def create_environment(body: EnvironmentBody, deps: DepsDep,
                       principal: PrincipalDep) -> EnvironmentView:
    """A new environment; a protected one needs `environments:protected`."""
    environment = environments.create_environment(deps, principal,
                                                  body.model_dump(exclude_unset=True))
    return EnvironmentView.from_entity(environment)


@router.get("/environments", response_model=EnvironmentList, responses=errors())
def list_environments(deps: DepsDep, principal: PrincipalDep) -> dict[str, Any]:
    """Every environment of the org, oldest first (an org has at most 100)."""
    found = environments.list_environments(deps, principal)
    return {"items": [EnvironmentView.from_entity(e) for e in found]}


@router.get("/environments/{env_name}", response_model=EnvironmentView, responses=errors(404))
def get_environment(env_name: str, deps: DepsDep, principal: PrincipalDep) -> EnvironmentView:
    return EnvironmentView.from_entity(environments.get_environment(deps, principal, env_name))


@router.patch("/environments/{env_name}", response_model=EnvironmentView,
              responses=errors(404))
def update_environment(env_name: str, body: EnvironmentChanges, deps: DepsDep,
                       principal: PrincipalDep) -> EnvironmentView:
    """Change the fields sent; changing a protected environment, or whether it is
    protected, needs `environments:protected`."""
    environment = environments.update_environment(deps, principal, env_name,
                                                  body.model_dump(exclude_unset=True))
    return EnvironmentView.from_entity(environment)


@router.delete("/environments/{env_name}", status_code=204, responses=errors(404, 409))
def delete_environment(env_name: str, deps: DepsDep, principal: PrincipalDep) -> Response:
    """409 for a protected environment or one that deployments belong to."""
    environments.delete_environment(deps, principal, env_name)
    return Response(status_code=204)


@router.post("/deployments/{deployment_name}/promote", status_code=201,
             response_model=PromotedView, tags=["deployments"],
             responses={200: {"model": PromotedView, "description": "Target updated"},
                        **errors(404, 409)})
def promote_deployment(deployment_name: str, body: PromoteBody, deps: DepsDep,
                       principal: PrincipalDep, response: Response) -> PromotedView:
    """Copy the deployment (its flow version, parameters, executor, tier and tags; not its
    schedule) into `to_environment`: 201 with a new target deployment, 200 when the one
    promoted before is moved to this version. A protected target needs admin."""
    target, created, source = promote.promote_deployment(deps, principal, deployment_name,
                                                         body.to_environment, body.name)
    response.status_code = 201 if created else 200
    return PromotedView.from_entity(target, created=created, source=source.deployment_name)
