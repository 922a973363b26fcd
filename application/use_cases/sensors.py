"""Sensors: runs triggered by webhooks, S3 object notifications and polled resources.

This module holds the sensor resource (create, read, change, delete, token rotation) and
the webhook entry point; S3 notifications and polls live in sensor_triggers and are
re-exported here.

Credentials at rest: a webhook token is stored as its hash only (the plaintext is on the
sensor that create_sensor and rotate_token return, once), and an HMAC secret is moved out
of the config and encrypted with deps.secret_cipher; the webhook decrypts it to verify.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dagy.application import audit_trail
from dagy.application.audit_views import sensor_view
from dagy.application.deps import Deps
from dagy.application.environments import check_key_scope
from dagy.application.principal import Principal
from dagy.application.use_cases.flows import check_name
from dagy.application.use_cases.sensor_triggers import (fire, handle_s3_notification,
                                                   poll_sensors, probe_by_kind)
from dagy.domain.errors import ConfigurationError, ConflictError, NotFoundError, ValidationError
from dagy.domain.json_values import check_storable, parse_json
from dagy.domain.runs import Run
from dagy.domain.schedules.model import SENSOR_TYPES, Sensor
from dagy.domain.schedules.sensors import (DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_SIGNATURE_HEADER,
                                      PayloadTooLarge, bounded_key, map_parameters,
                                      new_webhook_token, plausible_token, split_secret,
                                      validate_sensor_config, verify_signature,
                                      webhook_token_hash)
from dagy.domain.tenancy import AuthenticationError

__all__ = ["create_sensor", "delete_sensor", "get_sensor", "handle_s3_notification",
           "handle_webhook", "list_sensors", "patch_sensor", "poll_sensors", "probe_by_kind",
           "rotate_token", "seal_plaintext_secrets", "set_enabled"]

PATCHABLE = ("name", "deployment_name", "flow_params", "config", "enabled")
DELIVERY_HEADERS = ("X-Dagy-Delivery", "Idempotency-Key")


def create_sensor(deps: Deps, principal: Principal, data: dict[str, Any]) -> Sensor:
    """A webhook sensor comes back with its plaintext `webhook_token`: the only time it
    is known (only its hash is stored)."""
    check_name(data.get("name"), "name")
    sensor_type = data.get("sensor_type")
    if sensor_type not in SENSOR_TYPES:
        raise ValidationError(f"sensor_type must be one of {', '.join(SENSOR_TYPES)}")
    config = check_storable(validate_sensor_config(sensor_type, data.get("config")), "config")
    config, secret = split_secret(config)
    sealed = _seal(deps, secret)
    token_hash, token = new_webhook_token() if sensor_type == "webhook" else (None, None)
    now = deps.clock.now()
    with deps.uow() as uow:
        deployment = _deployment(uow, principal.org_id, data.get("deployment_name"))
        check_key_scope(principal, deployment.environment)  # a sensor triggers its runs
        sensor = Sensor(deps.ids.new_id(), principal.org_id, data["name"], sensor_type,
                        deployment.deployment_name, deployment.flow_name,
                        _params(data.get("flow_params")), config,
                        enabled=bool(data.get("enabled", True)),
                        webhook_token=token,
                        next_poll_epoch=int(now.timestamp()) if sensor_type == "polling" else None,
                        created_at=now, updated_at=now, webhook_token_hash=token_hash,
                        hmac_secret_ciphertext=sealed)
        uow.sensors.add(sensor)
        audit_trail.record(uow, deps, principal, "sensor.create", "sensor", sensor.sensor_id,
                           after=sensor_view(sensor))
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
        before = uow.sensors.get(principal.org_id, sensor_id)
        if before is None or not uow.sensors.delete(principal.org_id, sensor_id):
            raise NotFoundError(f"sensor {sensor_id!r} not found")
        audit_trail.record(uow, deps, principal, "sensor.delete", "sensor", sensor_id,
                           before=sensor_view(before))
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
            new_secret = "hmac_secret" in config
            if not new_secret and "hmac_secret" in sensor.config:  # still plaintext: seal it
                config["hmac_secret"], new_secret = sensor.config["hmac_secret"], True
            config = check_storable(validate_sensor_config(sensor.sensor_type, config), "config")
            config, secret = split_secret(config)
            if new_secret:
                sealed = _seal(deps, secret)
                if sealed != sensor.hmac_secret_ciphertext:  # its own entry (no value)
                    audit_trail.record(uow, deps, principal, "sensor.webhook_secret.change",
                                       "sensor", sensor.sensor_id,
                                       after={"signature_required": sealed is not None})
                sensor.hmac_secret_ciphertext = sealed
            if sensor.sensor_type == "polling" and _target(config) != _target(sensor.config):
                sensor.cursor, sensor.next_poll_epoch = None, now_epoch
            sensor.config = config
        if "flow_params" in changes:
            sensor.flow_params = _params(changes["flow_params"])
        if "name" in changes:
            sensor.name = changes["name"]
        if "enabled" in changes:
            _enable(sensor, bool(changes["enabled"]), now_epoch)

    return _mutate(deps, principal, sensor_id, change, "sensor.update")


def set_enabled(deps: Deps, principal: Principal, sensor_id: str, enabled: bool) -> Sensor:
    return _mutate(deps, principal, sensor_id,
                   lambda uow, sensor, now_epoch: _enable(sensor, enabled, now_epoch),
                   "sensor.enable" if enabled else "sensor.disable")


def rotate_token(deps: Deps, principal: Principal, sensor_id: str) -> Sensor:
    """A new webhook token, on the returned sensor only (shown once); the old one stops
    working at once."""
    def change(uow: Any, sensor: Sensor, now_epoch: int) -> None:
        if sensor.sensor_type != "webhook":
            raise ValidationError(f"sensor {sensor_id!r} is a {sensor.sensor_type} sensor; "
                                  "only webhook sensors have a token")
        sensor.webhook_token_hash, sensor.webhook_token = new_webhook_token()
    return _mutate(deps, principal, sensor_id, change, "sensor.rotate_token")


def handle_webhook(deps: Deps, token: str, body: bytes, headers: Mapping[str, str]) -> Run:
    """Trigger the run of the webhook sensor holding `token` (the token is the credential;
    it is looked up by its hash)."""
    sensor = None
    if plausible_token(token):
        with deps.uow() as uow:
            sensor = uow.sensors.get_by_token_hash(webhook_token_hash(token))
    if sensor is None or not sensor.enabled or sensor.sensor_type != "webhook":
        raise NotFoundError("no webhook sensor has this token")
    config = sensor.config
    limit = int(config.get("max_payload_bytes") or DEFAULT_MAX_PAYLOAD_BYTES)
    if len(body) > limit:
        raise PayloadTooLarge(limit)
    secret = _secret_of(deps, sensor)
    header_name = config.get("signature_header") or DEFAULT_SIGNATURE_HEADER
    if secret and not verify_signature(secret, body, _header(headers, header_name)):
        raise AuthenticationError(f"the {header_name} header is not the HMAC-SHA256 of the body")
    payload = parse_json(body, "webhook body")
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


def seal_plaintext_secrets(deps: Deps, batch: int = 100) -> int:
    """Encrypt the HMAC secrets that earlier versions kept in plaintext in a webhook
    sensor's config; returns how many. Run at start-up, right after the migrations
    (which cannot: they hold no server key); with nothing left to do it is one query."""
    sealed = 0
    for _ in range(1000):  # bounded: every pass either seals rows or stops
        with deps.uow() as uow:
            found = uow.sensors.with_plaintext_secret(batch)
            progressed = 0
            for sensor in found:
                expected = sensor.version
                sensor.config, secret = split_secret(sensor.config)
                sensor.hmac_secret_ciphertext = _seal(deps, secret)
                sensor.version = expected + 1
                progressed += uow.sensors.compare_and_set(sensor, expected)
            uow.commit()
        sealed += progressed
        if len(found) < batch or not progressed:
            break
    return sealed


def _cipher(deps: Deps) -> Any:
    if deps.secret_cipher is None:
        raise ConfigurationError("this server has no SecretCipher: webhook HMAC secrets "
                                 "cannot be stored or checked (set DAGY_SECRET_KEY)")
    return deps.secret_cipher


def _seal(deps: Deps, secret: str | None) -> str | None:
    return _cipher(deps).encrypt(secret) if secret else None


def _secret_of(deps: Deps, sensor: Sensor) -> str | None:
    """The HMAC secret in clear: decrypted, or a plaintext one not yet sealed (so an
    unconverted row still refuses unsigned bodies)."""
    if sensor.hmac_secret_ciphertext:
        return _cipher(deps).decrypt(sensor.hmac_secret_ciphertext)
    legacy = sensor.config.get("hmac_secret")
    return legacy if isinstance(legacy, str) and legacy else None


def _mutate(deps: Deps, principal: Principal, sensor_id: str,
            change: Callable[[Any, Sensor, int], None], action: str) -> Sensor:
    """Change a sensor with compare-and-set, recording `action` with its audit entry."""
    for _ in range(5):  # lose a race with a poll claim: read again and retry
        now = deps.clock.now()
        with deps.uow() as uow:
            sensor = uow.sensors.get(principal.org_id, sensor_id)
            if sensor is None:
                raise NotFoundError(f"sensor {sensor_id!r} not found")
            expected, before = sensor.version, sensor_view(sensor)
            change(uow, sensor, int(now.timestamp()))
            sensor.version, sensor.updated_at = expected + 1, now
            if uow.sensors.compare_and_set(sensor, expected):
                audit_trail.record(uow, deps, principal, action, "sensor", sensor_id,
                                   before=before, after=sensor_view(sensor))
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
    return dict(check_storable(value, "flow_params"))


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
