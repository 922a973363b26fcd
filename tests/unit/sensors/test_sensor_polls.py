"""poll_sensors on the tick: claims, cursors, baselines, failures and crash safety."""

from __future__ import annotations

import pytest

from dagy.application.ports.probes import ProbeError
from dagy.application.use_cases import sensors
from dagy.application.use_cases.deployments import delete_deployment


def http_sensor(sh, deployment_name="files-dep", **config):
    return sh.sensor("polling", {"kind": "http", "url": "http://example.com/feed",
                                 "interval_seconds": 60, "jitter_seconds": 6, **config},
                     deployment_name=deployment_name)


def test_a_new_cursor_fires_once_after_the_baseline(sh):
    sensor = http_sensor(sh, cursor_parameter="cursor", parameter_mapping={"key": "$.file"})
    sh.probe.set(sensor.sensor_id, "etag:1", {"file": "a"})
    assert sh.poll() == 0  # the first cursor is the baseline
    assert sh.stored(sensor.sensor_id).cursor == "etag:1" and sh.runs() == []
    assert sh.poll(30) == 0 and sh.probe.calls == [sensor.sensor_id]  # not due yet
    assert sh.poll(40) == 0  # due, unchanged
    sh.probe.set(sensor.sensor_id, "etag:2", {"file": "b"})
    assert sh.poll(70) == 1
    [run] = sh.runs()
    assert run.parameters["cursor"] == "etag:2" and run.parameters["key"] == "b"
    assert run.idempotency_key == f"poll:{sensor.sensor_id}:etag:2"
    stored = sh.stored(sensor.sensor_id)
    assert stored.cursor == "etag:2" and stored.last_triggered_at == sh.clock.now()
    assert sh.poll(70) == 0 and len(sh.runs()) == 1
    assert len(sh.probe.calls) == 4


def test_claims_advance_by_interval_plus_jitter_so_a_repeated_tick_polls_nothing(sh):
    sensor = http_sensor(sh)
    now = int(sh.clock.now().timestamp())
    assert sh.poll() == 0 and sh.poll() == 0
    assert sh.probe.calls == [sensor.sensor_id]
    assert now + 60 <= sh.stored(sensor.sensor_id).next_poll_epoch <= now + 66


def test_fire_on_first_and_a_payload_that_does_not_map(sh):
    first = http_sensor(sh, fire_on_first=True)
    strict = http_sensor(sh, parameter_mapping={"key": "$.missing"})
    sh.probe.set(first.sensor_id, "etag:1")
    sh.probe.set(strict.sensor_id, "etag:1", {"x": 1})
    assert sh.poll() == 1
    sh.probe.set(strict.sensor_id, "etag:2", {"x": 2})
    assert sh.poll(70) == 0  # skipped, logged, and the cursor moves on
    assert sh.stored(strict.sensor_id).cursor == "etag:2" and len(sh.runs()) == 1


def test_a_failing_probe_leaves_the_cursor_and_others_still_poll(sh):
    broken = http_sensor(sh)
    fine = http_sensor(sh, fire_on_first=True)
    sh.probe.fail(broken.sensor_id)
    sh.probe.set(fine.sensor_id, "etag:1")

    def fetch(sensor):
        if sensor.sensor_id == "nobody":
            raise RuntimeError("never")
        return sh.probe(sensor)

    assert sh.poll(fetch=fetch) == 1
    assert sh.stored(broken.sensor_id).cursor is None
    sh.probe.set(broken.sensor_id, "etag:1")
    assert sh.poll(70) == 0 and sh.stored(broken.sensor_id).cursor == "etag:1"

    def crash(sensor):
        raise ConnectionError("probe bug")

    http_sensor(sh)
    assert sh.poll(fetch=crash) == 0  # logged; the next poll is already scheduled


def test_a_crash_after_the_run_never_starts_a_second_run(sh):
    sensor = http_sensor(sh)
    sh.probe.set(sensor.sensor_id, "etag:1")
    sh.poll()
    sh.probe.set(sensor.sensor_id, "etag:2")
    assert sh.poll(70) == 1
    with sh.deps.uow() as uow:  # as if the cursor write had been lost
        stored = uow.sensors.get(sh.principal.org_id, sensor.sensor_id)
        stored.cursor, stored.version = "etag:1", stored.version + 1
        uow.sensors.update(stored)
        uow.commit()
    assert sh.poll(70) == 0 and len(sh.runs()) == 1  # the cursor's key finds the first run
    assert sh.stored(sensor.sensor_id).cursor == "etag:2"


def test_disabled_sensors_are_not_polled_and_enabling_polls_soon(sh):
    sensor = http_sensor(sh)
    sensors.set_enabled(sh.deps, sh.principal, sensor.sensor_id, False)
    assert sh.poll(500) == 0 and sh.probe.calls == []
    sh.clock.advance(1000)
    enabled = sensors.set_enabled(sh.deps, sh.principal, sensor.sensor_id, True)
    assert enabled.next_poll_epoch == int(sh.clock.now().timestamp())
    sh.poll()
    assert sh.probe.calls == [sensor.sensor_id]


def test_pointing_a_poll_elsewhere_resets_its_cursor(sh):
    sensor = http_sensor(sh)
    sh.probe.set(sensor.sensor_id, "etag:1")
    sh.poll()
    same = sensors.patch_sensor(sh.deps, sh.principal, sensor.sensor_id,
                                {"config": {"kind": "http", "url": "http://example.com/feed",
                                            "interval_seconds": 120}})
    assert same.cursor == "etag:1"
    moved = sensors.patch_sensor(sh.deps, sh.principal, sensor.sensor_id,
                                 {"config": {"kind": "http", "url": "http://example.com/other"}})
    assert moved.cursor is None and moved.next_poll_epoch == int(sh.clock.now().timestamp())


def test_a_deleted_deployment_skips_the_change(sh):
    sensor = http_sensor(sh, deployment_name="other-dep")
    sh.probe.set(sensor.sensor_id, "etag:1")
    sh.poll()
    delete_deployment(sh.deps, sh.principal, "other-dep")
    sh.probe.set(sensor.sensor_id, "etag:2")
    assert sh.poll(70) == 0 and sh.stored(sensor.sensor_id).cursor == "etag:2"


def test_probe_by_kind_dispatches_on_config_kind(sh):
    http = http_sensor(sh, fire_on_first=True)
    s3 = sh.sensor("polling", {"kind": "s3", "bucket": "b", "fire_on_first": True})
    seen = []
    fetch = sensors.probe_by_kind({"http": lambda s: (seen.append("http"), ("h", None))[1],
                                   "s3": lambda s: (seen.append("s3"), ("s", None))[1]})
    assert sh.poll(fetch=fetch) == 2 and sorted(seen) == ["http", "s3"]
    with pytest.raises(ProbeError):
        sensors.probe_by_kind({})(http)
    assert s3.config["kind"] == "s3"


def test_limit_bounds_one_tick(sh):
    made = [http_sensor(sh, fire_on_first=True) for _ in range(5)]
    for sensor in made:
        sh.probe.set(sensor.sensor_id, "etag:1")
    assert sensors.poll_sensors(sh.deps, sh.clock.now(), sh.probe, limit=2) == 2
    assert sensors.poll_sensors(sh.deps, sh.clock.now(), sh.probe, limit=10) == 3
