"""An org's secrets: PUT (create or replace), list, read metadata, delete.

No operation answers a value: tasks read values at run time (`dagy.get_secret`).
`?environment=` names the scope on every operation (PUT also takes it in the body;
the two must agree); absent: the org-wide secret (for the list: every scope).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from dagy.application.use_cases import secrets
from dagy.domain.errors import ValidationError
from dagy.domain.secrets import Secret
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep
from dagy.entrypoints.api.pagination import DEFAULT_LIMIT, Cursor, Limit, cursor_errors, paged
from dagy.entrypoints.api.schemas_common import errors
from dagy.entrypoints.api.schemas_secrets import (ENV_PATTERN, MAX_ENV_CHARS, NAME_PATTERN,
                                                  SecretBody, SecretPage, SecretView)

router = APIRouter(tags=["secrets"])

EnvironmentQuery = Annotated[str | None, Query(
    max_length=MAX_ENV_CHARS, pattern=ENV_PATTERN,
    description="the environment scope; absent: org-wide")]
SecretName = Annotated[str, Path(pattern=NAME_PATTERN, description=(
    "a letter or underscore, then letters, digits or underscores (at most 128)"))]


def _view(secret: Secret) -> SecretView:
    return SecretView.from_entity(secret, name=secret.secret_name)


@router.put("/secrets/{secret_name}", response_model=SecretView,
            responses={201: {"model": SecretView, "description": "Created"},
                       **errors(404)})
def put_secret(secret_name: SecretName, body: SecretBody, deps: DepsDep, principal: PrincipalDep,
               response: Response, environment: EnvironmentQuery = None) -> SecretView:
    """Create (201) or replace (200) the secret `secret_name` of the scope; the answer is its
    metadata. A protected environment's secrets need admin."""
    if environment is not None and body.environment is not None \
            and environment != body.environment:
        raise ValidationError("environment: the query and the body name different "
                              "environments")
    scope = body.environment if body.environment is not None else environment
    secret, created = secrets.set_secret(deps, principal, secret_name, body.value, scope)
    response.status_code = 201 if created else 200
    return _view(secret)


@router.get("/secrets", response_model=SecretPage, responses=errors(404))
def list_secrets(deps: DepsDep, principal: PrincipalDep, environment: EnvironmentQuery = None,
                 limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> dict[str, Any]:
    """The org's secrets, oldest first (metadata only): every scope, or with
    `?environment=` only that environment's."""
    with cursor_errors(cursor):
        result = secrets.list_secrets(deps, principal, environment, limit=limit,
                                      cursor=cursor)
    return paged(result, _view)


@router.get("/secrets/{secret_name}", response_model=SecretView, responses=errors(404))
def get_secret(secret_name: SecretName, deps: DepsDep, principal: PrincipalDep,
               environment: EnvironmentQuery = None) -> SecretView:
    """The metadata of the secret `secret_name` of exactly that scope (never the value)."""
    return _view(secrets.get_secret(deps, principal, secret_name, environment))


@router.delete("/secrets/{secret_name}", status_code=204, responses=errors(404))
def delete_secret(secret_name: SecretName, deps: DepsDep, principal: PrincipalDep,
                  environment: EnvironmentQuery = None) -> Response:
    secrets.delete_secret(deps, principal, secret_name, environment)
    return Response(status_code=204)
