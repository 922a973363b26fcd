"""Sensors: runs triggered by webhooks, S3 object notifications and polled resources.

This module holds the sensor resource (create, read, change, delete, token rotation) and
the webhook entry point; S3 notifications and polls live in sensor_triggers and are
re-exported here.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from application.deps import Deps, Principal
from application.use_cases.flows import check_name
from application.use_cases.sensor_triggers import (fire, handle_s3_notification,
                                                   poll_sensors, probe_by_kind)
from domain.catalog import ConflictError, NotFoundError
from domain.errors import ValidationError
from domain.runs import Run
from domain.schedules.model import SENSOR_TYPES, Sensor
from domain.schedules.sensors import (DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_SIGNATURE_HEADER,
                                      PayloadTooLarge, bounded_key, map_parameters,
                                      validate_sensor_config, verify_signature)
from domain.tenancy import AuthenticationError

__all__ = ["create_sensor", "delete_sensor", "get_sensor", "handle_s3_notification",
           "handle_webhook", "list_sensors", "patch_sensor", "poll_sensors", "probe_by_kind",
           "rotate_token", "set_enabled"]

PATCHABLE = ("name", "deployment_name", "flow_params", "config", "enabled")
DELIVERY_HEADERS = ("X-Dagy-Delivery", "Idempotency-Key")


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 43 characters, 256 bits


def create_sensor(deps: Deps, principal: Principal, data: dict[str, Any]) -> Sensor:
    check_name(data.get("name"), "name")
    sensor_type = data.get("sensor_type")
    if sensor_type not in SENSOR_TYPES:
        raise ValidationError(f"sensor_type must be one of {', '.join(SENSOR_TYPES)}")
    config = validate_sensor_config(sensor_type, data.get("config"))
    now = deps.clock.now()
    with deps.uow() as uow:
        deployment = _deployment(uow, principal.org_id, data.get("deployment_name"))
        sensor = Sensor(deps.ids.new_id(), principal.org_id, data["name"], sensor_type,
                        deployment.deployment_name, deployment.flow_name,
                        _params(data.get("flow_params")), config,
                        enabled=bool(data.get("enabled", True)),
                        webhook_token=new_token() if sensor_type == "webhook" else None,
                        next_poll_epoch=int(now.timestamp()) if sensor_type == "polling" else None,
                        created_at=now, updated_at=now)
        uow.sensors.add(sensor)
        uow.commit()
    return sensor


def get_sensor(deps: Deps, principal: Principal, sensor_id: str) -> Sensor:
    with deps.uow() as uow:
        sensor = uow.sensors.get(principal.org_id, sensor_id)
    if sensor is None:
        raise NotFoundError(f"sensor {sensor_id!r} not found")
    return sensor


def list_sensors(deps: Deps, principal: Principal, sensor_type: str | None = None,
                 limit: int = 50, cursor: str | None = None):
    with deps.uow() as uow:
        return uow.sensors.list(principal.org_id, sensor_type=sensor_type, limit=limit,
                                cursor=cursor)


def delete_sensor(deps: Deps, principal: Principal, sensor_id: str) -> None:
    with deps.uow() as uow:
        if not uow.sensors.delete(principal.org_id, sensor_id):
            raise NotFoundError(f"sensor {sensor_id!r} not found")
        uow.commit()


def patch_sensor(deps: Deps, principal: Principal, sensor_id: str,
                 changes: dict[str, Any]) -> Sensor:
    """Change the given fields. A config without `hmac_secret` keeps the current secret
    (send null to remove it); a polling sensor pointed elsewhere forgets its cursor."""
    unknown = set(changes) - set(PATCHABLE)
    if unknown:
        raise ValidationError(f"cannot change {', '.join(sorted(unknown))}; "
                              f"patchable fields: {', '.join(PATCHABLE)}")
    if "name" in changes:
        check_name(changes["name"], "name")

    def change(uow: Any, sensor: Sensor, now_epoch: int) -> None:
        if "deployment_name" in changes:
            deployment = _deployment(uow, sensor.org_id, changes["deployment_name"])
            sensor.deployment_name, sensor.flow_name = (deployment.deployment_name,
                                                        deployment.flow_name)
        if "config" in changes:
            config = dict(changes["config"] or {})
            if "hmac_secret" not in config and "hmac_secret" in sensor.config:
                config["hmac_secret"] = sensor.config["hmac_secret"]
            config = validate_sensor_config(sensor.sensor_type, config)
            if sensor.sensor_type == "polling" and _target(config) != _target(sensor.config):
                sensor.cursor, sensor.next_poll_epoch = None, now_epoch
            sensor.config = config
        if "flow_params" in changes:
            sensor.flow_params = _params(changes["flow_params"])
        if "name" in changes:
            sensor.name = changes["name"]
        if "enabled" in changes:
            _enable(sensor, bool(changes["enabled"]), now_epoch)

    return _mutate(deps, principal, sensor_id, change)


def set_enabled(deps: Deps, principal: Principal, sensor_id: str, enabled: bool) -> Sensor:
    return _mutate(deps, principal, sensor_id,
                   lambda uow, sensor, now_epoch: _enable(sensor, enabled, now_epoch))


def rotate_token(deps: Deps, principal: Principal, sensor_id: str) -> Sensor:
    """A new webhook token; the old one stops working at once."""
    def change(uow: Any, sensor: Sensor, now_epoch: int) -> None:
        if sensor.sensor_type != "webhook":
            raise ValidationError(f"sensor {sensor_id!r} is a {sensor.sensor_type} sensor; "
                                  "only webhook sensors have a token")
        sensor.webhook_token = new_token()
    return _mutate(deps, principal, sensor_id, change)


def handle_webhook(deps: Deps, token: str, body: bytes, headers: Mapping[str, str]) -> Run:
    """Trigger the run of the webhook sensor holding `token` (the token is the credential)."""
    sensor = None
    if isinstance(token, str) and 0 < len(token) <= 128:
        with deps.uow() as uow:
            sensor = uow.sensors.get_by_token(token)
    if sensor is None or not sensor.enabled or sensor.sensor_type != "webhook":
        raise NotFoundError("no webhook sensor has this token")
    config = sensor.config
    limit = int(config.get("max_payload_bytes") or DEFAULT_MAX_PAYLOAD_BYTES)
    if len(body) > limit:
        raise PayloadTooLarge(limit)
    secret = config.get("hmac_secret")
    header_name = config.get("signature_header") or DEFAULT_SIGNATURE_HEADER
    if secret and not verify_signature(secret, body, _header(headers, header_name)):
        raise AuthenticationError(f"the {header_name} header is not the HMAC-SHA256 of the body")
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        raise ValidationError("webhook body must be JSON") from None
    if not isinstance(payload, dict):
        raise ValidationError("webhook body must be a JSON object")
    parameters = {**sensor.flow_params,
                  **map_parameters(payload, config.get("parameter_mapping") or {})}
    delivery = next(filter(None, (_header(headers, n) for n in DELIVERY_HEADERS)), None)
    key = bounded_key(f"webhook:{sensor.sensor_id}:", delivery) if delivery else None
    run, _ = fire(deps, sensor, parameters, key)
    if run is None:  # deleted or disabled since the lookup
        raise NotFoundError("no webhook sensor has this token")
    return run


def _mutate(deps: Deps, principal: Principal, sensor_id: str,
            change: Callable[[Any, Sensor, int], None]) -> Sensor:
    for _ in range(5):  # lose a race with a poll claim: read again and retry
        now = deps.clock.now()
        with deps.uow() as uow:
            sensor = uow.sensors.get(principal.org_id, sensor_id)
            if sensor is None:
                raise NotFoundError(f"sensor {sensor_id!r} not found")
            expected = sensor.version
            change(uow, sensor, int(now.timestamp()))
            sensor.version, sensor.updated_at = expected + 1, now
            if uow.sensors.compare_and_set(sensor, expected):
                uow.commit()
                return sensor
    raise ConflictError(f"sensor {sensor_id} is changing too fast; try again")


def _enable(sensor: Sensor, enabled: bool, now_epoch: int) -> None:
    if enabled and not sensor.enabled and sensor.sensor_type == "polling":
        sensor.next_poll_epoch = now_epoch
    sensor.enabled = enabled


def _deployment(uow: Any, org_id: str, name: Any) -> Any:
    check_name(name, "deployment_name")
    deployment = uow.deployments.get(org_id, name)
    if deployment is None:
        raise NotFoundError(f"deployment {name!r} not found")
    return deployment


def _params(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError("flow_params must be an object")
    return dict(value)


def _target(config: dict[str, Any]) -> tuple:
    return tuple(config.get(k) for k in ("kind", "url", "bucket", "prefix"))


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    value = headers.get(name)
    if value is None and isinstance(headers, dict):
        wanted = name.lower()
        value = next((v for k, v in headers.items() if str(k).lower() == wanted), None)
    return value if isinstance(value, str) and value else None
