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
from dagy.domain.schedules.model import Sensor
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


def sensor_view(sensor: Sensor, with_token: bool = False) -> dict[str, Any]:
    config = {k: v for k, v in sensor.config.items() if k != "hmac_secret"}
    if sensor.sensor_type == "webhook":
        config["has_hmac_secret"] = bool(sensor.hmac_secret_ciphertext
                                         or sensor.config.get("hmac_secret"))
    data = {
        "sensor_id": sensor.sensor_id, "name": sensor.name, "sensor_type": sensor.sensor_type,
        "deployment_name": sensor.deployment_name, "flow_name": sensor.flow_name,
        "flow_params": sensor.flow_params, "config": config, "enabled": sensor.enabled,
        "cursor": sensor.cursor, "next_poll_epoch": sensor.next_poll_epoch,
        "last_triggered_at": _iso(sensor.last_triggered_at),
        "created_at": _iso(sensor.created_at), "updated_at": _iso(sensor.updated_at),
        "version": sensor.version,
    }
    if with_token and sensor.webhook_token:
        data["webhook_token"] = sensor.webhook_token
        data["webhook_path"] = f"/hooks/{sensor.webhook_token}"
    return data


@router.post("/sensors", status_code=201, response_model=SensorWithToken,
             response_model_exclude_unset=True, responses=errors(404))
def create_sensor(body: SensorBody, deps: DepsDep, principal: PrincipalDep) -> dict[str, Any]:
    """201 with the sensor; a webhook's `webhook_token` is answered here and on rotation only."""
    sensor = sensors.create_sensor(deps, principal, body.model_dump(exclude_unset=False))
    return sensor_view(sensor, with_token=True)


@router.get("/sensors", response_model=SensorPage, responses=errors())
def list_sensors(deps: DepsDep, principal: PrincipalDep,
                 sensor_type: Annotated[SensorType | None, Query()] = None,
                 limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> dict[str, Any]:
    with cursor_errors(cursor):
        result = sensors.list_sensors(deps, principal, sensor_type, limit=limit, cursor=cursor)
    return paged(result, sensor_view)


@router.get("/sensors/{sensor_id}", response_model=SensorView, responses=errors(404))
def get_sensor(sensor_id: str, deps: DepsDep, principal: PrincipalDep) -> dict[str, Any]:
    return sensor_view(sensors.get_sensor(deps, principal, sensor_id))


@router.patch("/sensors/{sensor_id}", response_model=SensorView, responses=errors(404, 409))
def patch_sensor(sensor_id: str, body: SensorChanges, deps: DepsDep,
                 principal: PrincipalDep) -> dict[str, Any]:
    """A `config` replaces the whole config, except that a webhook's hmac_secret is kept
    when left out (send `"hmac_secret": null` to remove it)."""
    changes = body.model_dump(exclude_unset=True)
    return sensor_view(sensors.patch_sensor(deps, principal, sensor_id, changes))


@router.delete("/sensors/{sensor_id}", status_code=204, responses=errors(404))
def delete_sensor(sensor_id: str, deps: DepsDep, principal: PrincipalDep) -> Response:
    sensors.delete_sensor(deps, principal, sensor_id)
    return Response(status_code=204)


@router.post("/sensors/{sensor_id}/enable", response_model=SensorView,
             responses=errors(404, 409))
def enable_sensor(sensor_id: str, deps: DepsDep, principal: PrincipalDep) -> dict[str, Any]:
    return sensor_view(sensors.set_enabled(deps, principal, sensor_id, True))


@router.post("/sensors/{sensor_id}/disable", response_model=SensorView,
             responses=errors(404, 409))
def disable_sensor(sensor_id: str, deps: DepsDep, principal: PrincipalDep) -> dict[str, Any]:
    return sensor_view(sensors.set_enabled(deps, principal, sensor_id, False))


@router.post("/sensors/{sensor_id}/rotate-token", response_model=SensorWithToken,
             response_model_exclude_unset=True, responses=errors(404, 409))
def rotate_token(sensor_id: str, deps: DepsDep, principal: PrincipalDep) -> dict[str, Any]:
    """A new webhook token (answered once); the old one answers 404 from now on."""
    return sensor_view(sensors.rotate_token(deps, principal, sensor_id), with_token=True)


@router.post("/hooks/{token}", status_code=202, tags=["webhooks"], response_model=None,
             responses={202: {"model": WebhookAccepted, "description": "The run it triggered"},
                        **errors(401, 404, 409, authenticated=False)})

async def receive_webhook(token: str, request: Request, deps: DepsDep) -> JSONResponse:
    """No API key: the token in the path is the credential. The raw body (a JSON object,
    at most the sensor's max_payload_bytes) is mapped to the run's parameters."""
    body = await _read_capped(request, MAX_PAYLOAD_BYTES)
    run = await run_in_threadpool(sensors.handle_webhook, deps, token, body, request.headers)
    return JSONResponse({"run_id": run.run_id, "run_slug": run.run_slug,
                         "status": run.status.value}, status_code=202)


async def _read_capped(request: Request, limit: int) -> bytes:
    """The body, read as it streams in; PayloadTooLarge as soon as it passes `limit`."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
