"""Sensor triggers shared by webhooks, S3 notifications and polls: one transaction writes
the run, its event and the sensor's cursor / last_triggered_at.

Every trigger carries an idempotency key derived from what was seen (a delivery id, an
S3 object version, a poll cursor), so a redelivered notification or a repeated poll
finds the first run instead of starting another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote_plus

from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.application.ports.probes import PollProbe, PollResult, ProbeError
from dagy.application.use_cases.runs import add_prepared, prepare_run
from dagy.domain.errors import ConflictError, NotFoundError, ParameterError, ValidationError
from dagy.domain.runs import Run, TriggerSource
from dagy.domain.schedules.model import Sensor
from dagy.domain.schedules.sensors import bounded_key, map_parameters, next_poll_epoch, s3_matches

logger = logging.getLogger("dagy.sensors")

SKIPPED = (NotFoundError, ConflictError, ParameterError, ValidationError)  # retrying can't help
_KEEP = object()


class SensorRaced(Exception):
    """The sensor changed while a poll fired; the cursor stays put and the next poll retries."""


def handle_s3_notification(deps: Deps, records: Any) -> list[Run]:
    """Trigger every enabled s3 sensor (of any org) whose bucket, prefix and suffix match
    an ObjectCreated record. A sensor whose deployment is gone, paused or refuses the
    parameters is skipped (logged); other failures raise so the message comes back."""
    if not isinstance(records, list):
        raise ValidationError("an S3 notification needs a list of Records")
    runs: list[Run] = []
    for record in records:
        target = _s3_object(record)
        if target is None:
            continue
        bucket, key, version = target
        with deps.uow() as uow:
            sensors = [s for s in uow.sensors.matching_s3(bucket)
                       if s3_matches(s.config, bucket, key)]
        for sensor in sensors:
            parameters = {**sensor.flow_params, sensor.config.get("key_parameter") or "key": key}
            if sensor.config.get("bucket_parameter"):
                parameters[sensor.config["bucket_parameter"]] = bucket
            idempotency_key = bounded_key(f"s3:{sensor.sensor_id}:", f"{bucket}/{key}/{version}")
            try:
                runs.append(fire(deps, sensor, parameters, idempotency_key)[0])
            except SKIPPED as exc:
                logger.warning("s3 sensor %s skipped s3://%s/%s: %s", sensor.sensor_id, bucket,
                               key, exc)
    return runs


def poll_sensors(deps: Deps, now: Any, fetch: PollProbe | Callable[[Sensor], PollResult],
                 limit: int = 100) -> int:
    """One tick of the polling sensors: returns how many runs were triggered.

    Due sensors are claimed first (next_poll_epoch advanced by interval + jitter with a
    compare-and-set, in its own transaction), so a crash or a concurrent ticker never
    polls one twice. A new cursor is stored in the transaction that writes its run; the
    run's idempotency key is derived from the cursor, so replaying a change is harmless.
    """
    now_epoch = int(now.timestamp())
    claimed: list[Sensor] = []
    with deps.uow() as uow:
        for sensor in uow.sensors.due_polls(now_epoch, limit):
            expected = sensor.version
            sensor.next_poll_epoch = next_poll_epoch(sensor.sensor_id, sensor.config, now_epoch)
            sensor.version, sensor.updated_at = expected + 1, now
            if uow.sensors.compare_and_set(sensor, expected):
                claimed.append(sensor)
        uow.commit()
    fired = 0
    for sensor in claimed:
        try:
            fired += _poll_one(deps, sensor, fetch)
        except Exception:
            logger.exception("polling sensor %s failed; it is polled again at its next time",
                             sensor.sensor_id)
    return fired


def probe_by_kind(probes: Mapping[str, PollProbe]) -> Callable[[Sensor], PollResult]:
    """One probe over several: config["kind"] ("http", "s3") picks the implementation."""
    def probe(sensor: Sensor) -> PollResult:
        kind = sensor.config.get("kind")
        if kind not in probes:
            raise ProbeError(f"no probe is configured for polling kind {kind!r}")
        return probes[kind](sensor)
    return probe


def _poll_one(deps: Deps, sensor: Sensor, fetch: Callable[[Sensor], PollResult]) -> int:
    try:
        cursor, payload = fetch(sensor)
    except ProbeError as exc:
        logger.warning("polling sensor %s: %s", sensor.sensor_id, exc)
        return 0
    if cursor is None or cursor == sensor.cursor:
        return 0
    config = sensor.config
    if sensor.cursor is None and not config.get("fire_on_first"):
        fire(deps, sensor, None, None, cursor=cursor)  # the baseline: nothing to compare yet
        return 0
    try:
        parameters = dict(sensor.flow_params)
        if isinstance(payload, dict) and config.get("parameter_mapping"):
            parameters.update(map_parameters(payload, config["parameter_mapping"]))
        if config.get("cursor_parameter"):
            parameters[config["cursor_parameter"]] = cursor
        key = bounded_key(f"poll:{sensor.sensor_id}:", cursor)
        return int(fire(deps, sensor, parameters, key, cursor=cursor)[1])
    except SKIPPED as exc:
        logger.warning("polling sensor %s skipped cursor %s: %s", sensor.sensor_id, cursor, exc)
        fire(deps, sensor, None, None, cursor=cursor)
        return 0


def fire(deps: Deps, sensor: Sensor, parameters: dict[str, Any] | None, key: str | None,
         cursor: Any = _KEEP) -> tuple[Run | None, bool]:
    """Queue a run (unless `parameters` is None) and record it on the sensor, in one
    transaction. Nothing is queued for a sensor deleted or disabled meanwhile, nor for a
    cursor another poll already moved; a cursor that cannot be stored rolls the run back."""
    now = deps.clock.now()
    run, created = None, False
    with deps.uow() as uow:
        current = uow.sensors.get(sensor.org_id, sensor.sensor_id)
        if current is None or not current.enabled or (
                cursor is not _KEEP and current.cursor != sensor.cursor):
            return None, False
        if parameters is not None:
            run, created = prepare_run(deps, uow, Principal(sensor.org_id),
                                       sensor.deployment_name, parameters, None, key,
                                       trigger_source=TriggerSource.SENSOR)
            if created:
                run, created = add_prepared(deps, uow, run)
        if created or cursor is not _KEEP:
            expected = current.version
            current.last_triggered_at = now if created else current.last_triggered_at
            current.cursor = current.cursor if cursor is _KEEP else cursor
            current.version, current.updated_at = expected + 1, now
            if not uow.sensors.compare_and_set(current, expected) and cursor is not _KEEP:
                raise SensorRaced(f"sensor {sensor.sensor_id} changed while firing")
        uow.commit()
    return run, created


def _s3_object(record: Any) -> tuple[str, str, str] | None:
    """(bucket, decoded key, version marker) of an ObjectCreated record, else None.
    Keys arrive URL-encoded with '+' for spaces."""
    if not isinstance(record, dict) or record.get("eventSource") != "aws:s3":
        return None
    name = record.get("eventName")
    if isinstance(name, str) and not name.startswith("ObjectCreated"):
        return None
    s3 = record.get("s3") if isinstance(record.get("s3"), dict) else {}
    bucket = (s3.get("bucket") or {}).get("name") if isinstance(s3.get("bucket"), dict) else None
    obj = s3.get("object") if isinstance(s3.get("object"), dict) else {}
    if not isinstance(bucket, str) or not isinstance(obj.get("key"), str):
        logger.warning("ignoring an S3 record without s3.bucket.name and s3.object.key")
        return None
    version = obj.get("sequencer") or obj.get("eTag") or record.get("eventTime") or ""
    return bucket, unquote_plus(obj["key"]), str(version)
