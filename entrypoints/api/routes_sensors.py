"""Sensors (webhook, s3, polling) and the unauthenticated webhook receiver POST /hooks/{token}.

The webhook token is a credential: it is answered only when a sensor is created and when
it is rotated. Likewise a configured `hmac_secret` is never answered (`has_hmac_secret`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from dagy.application.use_cases import sensors
from dagy.domain.schedules.sensors import MAX_PAYLOAD_BYTES, PayloadTooLarge
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep
from dagy.entrypoints.api.pagination import DEFAULT_LIMIT, Cursor, Limit, cursor_errors, paged
from dagy.entrypoints.api.schemas_common import PlainName, errors
from dagy.entrypoints.api.schemas_sensors import (SensorPage, SensorView, SensorWithToken,
                                             WebhookAccepted)

router = APIRouter(tags=["sensors"])

Name = PlainName
SensorType = Literal["webhook", "s3", "polling"]


class SensorChanges(BaseModel):
    """Fields a sensor may change; only the fields sent are applied."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: Name = None  # type: ignore[assignment]  # may be left out, not null
    deployment_name: Name = None  # type: ignore[assignment]
    flow_params: dict[str, Any] | None = None
    config: dict[str, Any] | None = None
    enabled: bool = None  # type: ignore[assignment]


class SensorBody(SensorChanges):
    name: Name
    sensor_type: SensorType
    deployment_name: Name
    enabled: bool = True


@router.post("/sensors", status_code=201, response_model=SensorWithToken,
             response_model_exclude_unset=True, responses=errors(404))
def create_sensor(body: SensorBody, deps: DepsDep, principal: PrincipalDep) -> SensorWithToken:
    """201 with the sensor; a webhook's `webhook_token` is answered here and on rotation only."""
    sensor = sensors.create_sensor(deps, principal, body.model_dump(exclude_unset=False))
    return SensorWithToken.from_entity(sensor)


@router.get("/sensors", response_model=SensorPage, responses=errors())
def list_sensors(deps: DepsDep, principal: PrincipalDep,
                 sensor_type: Annotated[SensorType | None, Query()] = None,
                 limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> dict[str, Any]:
    with cursor_errors(cursor):
        result = sensors.list_sensors(deps, principal, sensor_type, limit=limit, cursor=cursor)
    return paged(result, SensorView.from_entity)


@router.get("/sensors/{sensor_id}", response_model=SensorView, responses=errors(404))
def get_sensor(sensor_id: str, deps: DepsDep, principal: PrincipalDep) -> SensorView:
    return SensorView.from_entity(sensors.get_sensor(deps, principal, sensor_id))


@router.patch("/sensors/{sensor_id}", response_model=SensorView, responses=errors(404, 409))
def patch_sensor(sensor_id: str, body: SensorChanges, deps: DepsDep,
                 principal: PrincipalDep) -> SensorView:
    """A `config` replaces the whole config, except that a webhook's hmac_secret is kept
    when left out (send `"hmac_secret": null` to remove it)."""
    changes = body.model_dump(exclude_unset=True)
    return SensorView.from_entity(sensors.patch_sensor(deps, principal, sensor_id, changes))


@router.delete("/sensors/{sensor_id}", status_code=204, responses=errors(404))
def delete_sensor(sensor_id: str, deps: DepsDep, principal: PrincipalDep) -> Response:
    sensors.delete_sensor(deps, principal, sensor_id)
    return Response(status_code=204)


@router.post("/sensors/{sensor_id}/enable", response_model=SensorView,
             responses=errors(404, 409))
def enable_sensor(sensor_id: str, deps: DepsDep, principal: PrincipalDep) -> SensorView:
    return SensorView.from_entity(sensors.set_enabled(deps, principal, sensor_id, True))


@router.post("/sensors/{sensor_id}/disable", response_model=SensorView,
             responses=errors(404, 409))
def disable_sensor(sensor_id: str, deps: DepsDep, principal: PrincipalDep) -> SensorView:
    return SensorView.from_entity(sensors.set_enabled(deps, principal, sensor_id, False))


@router.post("/sensors/{sensor_id}/rotate-token", response_model=SensorWithToken,
             response_model_exclude_unset=True, responses=errors(404, 409))
def rotate_token(sensor_id: str, deps: DepsDep, principal: PrincipalDep) -> SensorWithToken:
    """A new webhook token (answered once); the old one answers 404 from now on."""
    return SensorWithToken.from_entity(sensors.rotate_token(deps, principal, sensor_id))


@router.post("/hooks/{token}", status_code=202, tags=["webhooks"], response_model=None,
             responses={202: {"model": WebhookAccepted, "description": "The run it triggered"},
                        **errors(401, 404, 409, authenticated=False)})

async def receive_webhook(token: str, request: Request, deps: DepsDep) -> JSONResponse:
    """No API key: the token in the path is the credential. The raw body (a JSON object,
    at most the sensor's max_payload_bytes) is mapped to the run's parameters."""
    body = await _read_capped(request, MAX_PAYLOAD_BYTES)
    run = await run_in_threadpool(sensors.handle_webhook, deps, token, body, request.headers)
    return JSONResponse(WebhookAccepted.from_entity(run).model_dump(mode="json"), status_code=202)


async def _read_capped(request: Request, limit: int) -> bytes:
    """The body, read as it streams in; PayloadTooLarge as soon as it passes `limit`."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)
