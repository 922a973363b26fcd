"""Sensor use cases: the resource, webhooks and S3 notifications (polls: test_sensor_polls)."""

from __future__ import annotations

import json

import pytest

from dagy.application.principal import Principal
from dagy.application.use_cases import sensors
from dagy.domain.errors import NotFoundError, ValidationError
from dagy.domain.schedules.sensors import PayloadTooLarge, sign
from dagy.domain.states import RunStatus
from dagy.domain.tenancy import AuthenticationError


def body(**payload) -> bytes:
    return json.dumps(payload).encode()


def s3_record(bucket: str, key: str, sequencer: str = "0A1", event: str = "ObjectCreated:Put"):
    return {"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": event,
            "eventTime": "2030-01-01T00:00:00.000Z",
            "s3": {"bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                   "object": {"key": key, "size": 3, "eTag": "e1", "sequencer": sequencer}}}


def test_create_resolves_the_deployment_and_fills_config_defaults(sh):
    sensor = sh.sensor("webhook", flow_params={"n": 1})
    assert len(sensor.webhook_token) >= 43 and sensor.flow_name == "sensor_files"
    assert sensor.config == {"signature_header": "X-Dagy-Signature", "max_payload_bytes": 262144}
    assert sh.sensor("webhook").webhook_token != sensor.webhook_token
    assert sh.sensor("s3", {"bucket": "b"}).webhook_token is None
    polling = sh.sensor("polling", {"kind": "http", "url": "http://example.com"})
    assert polling.next_poll_epoch == int(sh.clock.now().timestamp())
    with pytest.raises(NotFoundError, match="nope"):
        sh.sensor("webhook", deployment_name="nope")
    for bad in ({"sensor_type": "cron"}, {"name": ""}, {"flow_params": [1]}):
        with pytest.raises(ValidationError):
            sh.sensor(**{"sensor_type": "webhook", **bad})


def test_webhook_maps_the_payload_over_flow_params(sh):
    sensor = sh.sensor("webhook", {"parameter_mapping": {"key": "$.object.key",
                                                         "n": "$['the count']"}},
                       flow_params={"bucket": "fixed", "n": 1})
    run = sensors.handle_webhook(sh.deps, sensor.webhook_token,
                                 body(object={"key": "a.csv"}, **{"the count": 7}), {})
    assert run.status is RunStatus.QUEUED and run.org_id == sh.principal.org_id
    assert run.parameters == {"key": "a.csv", "bucket": "fixed", "cursor": "", "n": 7}
    assert sh.stored(sensor.sensor_id).last_triggered_at == sh.clock.now()
    with pytest.raises(ValidationError, match=r"\$.object.key"):
        sensors.handle_webhook(sh.deps, sensor.webhook_token, body(other=1), {})


def test_webhook_delivery_headers_make_redelivery_idempotent(sh):
    sensor = sh.sensor("webhook")
    first = sensors.handle_webhook(sh.deps, sensor.webhook_token, b"{}", {"x-dagy-delivery": "d1"})
    again = sensors.handle_webhook(sh.deps, sensor.webhook_token, b"{}", {"X-Dagy-Delivery": "d1"})
    keyed = sensors.handle_webhook(sh.deps, sensor.webhook_token, b"{}", {"Idempotency-Key": "d1"})
    assert first.run_id == again.run_id == keyed.run_id
    fresh = sensors.handle_webhook(sh.deps, sensor.webhook_token, b"{}", {})
    other = sh.sensor("webhook")  # the same delivery id at another sensor is another run
    elsewhere = sensors.handle_webhook(sh.deps, other.webhook_token, b"{}",
                                       {"X-Dagy-Delivery": "d1"})
    assert len({first.run_id, fresh.run_id, elsewhere.run_id}) == 3 and len(sh.runs()) == 3


def test_webhook_refusals(sh):
    sensor = sh.sensor("webhook", {"max_payload_bytes": 100})
    token = sensor.webhook_token
    for bad_token in ("nope", "", "x" * 5000, None):
        with pytest.raises(NotFoundError):
            sensors.handle_webhook(sh.deps, bad_token, b"{}", {})
    with pytest.raises(PayloadTooLarge):
        sensors.handle_webhook(sh.deps, token, body(pad="x" * 100), {})
    for raw in (b"[1]", b"not json", b"", b'"s"', b"[" * 50000):
        with pytest.raises(ValidationError):
            sensors.handle_webhook(sh.deps, token, raw, {})
    sensors.set_enabled(sh.deps, sh.principal, sensor.sensor_id, False)
    with pytest.raises(NotFoundError):
        sensors.handle_webhook(sh.deps, token, b"{}", {})
    sensors.set_enabled(sh.deps, sh.principal, sensor.sensor_id, True)
    assert sensors.handle_webhook(sh.deps, token, b"{}", {})
    assert len(sh.runs()) == 1


def test_webhook_hmac(sh):
    sensor = sh.sensor("webhook", {"hmac_secret": "s3cret", "signature_header": "X-Hub-Sig"})
    payload = body(a=1)
    with pytest.raises(AuthenticationError):
        sensors.handle_webhook(sh.deps, sensor.webhook_token, payload, {})
    with pytest.raises(AuthenticationError):
        sensors.handle_webhook(sh.deps, sensor.webhook_token, payload,
                               {"X-Hub-Sig": sign("wrong", payload)})
    with pytest.raises(AuthenticationError):  # the default header is not the configured one
        sensors.handle_webhook(sh.deps, sensor.webhook_token, payload,
                               {"X-Dagy-Signature": sign("s3cret", payload)})
    assert sensors.handle_webhook(sh.deps, sensor.webhook_token, payload,
                                  {"x-hub-sig": sign("s3cret", payload)})


def test_rotate_token_retires_the_old_one(sh):
    sensor = sh.sensor("webhook")
    rotated = sensors.rotate_token(sh.deps, sh.principal, sensor.sensor_id)
    assert rotated.webhook_token != sensor.webhook_token and len(rotated.webhook_token) >= 43
    with pytest.raises(NotFoundError):
        sensors.handle_webhook(sh.deps, sensor.webhook_token, b"{}", {})
    assert sensors.handle_webhook(sh.deps, rotated.webhook_token, b"{}", {})
    with pytest.raises(ValidationError, match="only webhook"):
        sensors.rotate_token(sh.deps, sh.principal, sh.sensor("s3", {"bucket": "b"}).sensor_id)


def test_patch_keeps_the_hmac_secret_unless_told(sh):
    sensor = sh.sensor("webhook", {"hmac_secret": "s"})
    patched = sensors.patch_sensor(sh.deps, sh.principal, sensor.sensor_id, {
        "config": {"max_payload_bytes": 5}, "name": "renamed", "deployment_name": "other-dep",
        "flow_params": {"n": 2}})
    assert patched.config == {"max_payload_bytes": 5, "signature_header": "X-Dagy-Signature"}
    assert patched.hmac_secret_ciphertext == sensor.hmac_secret_ciphertext  # kept, encrypted
    assert sh.deps.secret_cipher.decrypt(patched.hmac_secret_ciphertext) == "s"
    assert (patched.name, patched.deployment_name, patched.flow_params) == (
        "renamed", "other-dep", {"n": 2})
    assert patched.version == sensor.version + 1
    cleared = sensors.patch_sensor(sh.deps, sh.principal, sensor.sensor_id,
                                   {"config": {"hmac_secret": None}})
    assert "hmac_secret" not in cleared.config and cleared.hmac_secret_ciphertext is None
    for bad in ({"sensor_type": "s3"}, {"webhook_token": "x"}, {"config": {"bogus": 1}},
                {"deployment_name": "missing"}):
        with pytest.raises((ValidationError, NotFoundError)):
            sensors.patch_sensor(sh.deps, sh.principal, sensor.sensor_id, bad)
    assert sh.stored(sensor.sensor_id).deployment_name == "other-dep"


def test_sensors_are_invisible_to_other_orgs(sh, other_org):
    mine = sh.sensor("webhook")
    theirs = sh.sensor("webhook", principal=other_org)
    for call in (lambda: sensors.get_sensor(sh.deps, other_org, mine.sensor_id),
                 lambda: sensors.patch_sensor(sh.deps, other_org, mine.sensor_id, {"name": "x"}),
                 lambda: sensors.set_enabled(sh.deps, other_org, mine.sensor_id, False),
                 lambda: sensors.rotate_token(sh.deps, other_org, mine.sensor_id),
                 lambda: sensors.delete_sensor(sh.deps, other_org, mine.sensor_id)):
        with pytest.raises(NotFoundError):
            call()
    assert [s.sensor_id for s in sensors.list_sensors(sh.deps, other_org)[0]] == [theirs.sensor_id]
    run = sensors.handle_webhook(sh.deps, theirs.webhook_token, b"{}", {})
    assert run.org_id == other_org.org_id and sh.runs() == []
    sensors.delete_sensor(sh.deps, sh.principal, mine.sensor_id)
    with pytest.raises(NotFoundError):
        sensors.handle_webhook(sh.deps, mine.webhook_token, b"{}", {})


def test_s3_records_trigger_matching_sensors_once(sh, other_org):
    csv = sh.sensor("s3", {"bucket": "data", "prefix": "in/", "suffix": ".csv",
                           "bucket_parameter": "bucket"}, flow_params={"n": 3})
    anything = sh.sensor("s3", {"bucket": "data", "key_parameter": "cursor"},
                         deployment_name="other-dep")
    theirs = sh.sensor("s3", {"bucket": "data", "prefix": "in/"}, principal=other_org)
    sh.sensor("s3", {"bucket": "elsewhere"})
    records = [s3_record("data", "in/my+report%282%29.csv"), s3_record("data", "out/x.txt"),
               s3_record("data", "in/gone.csv", event="ObjectRemoved:Delete"),
               {"eventSource": "aws:sqs"}, {"eventSource": "aws:s3", "s3": {}}]
    runs = sensors.handle_s3_notification(sh.deps, records)
    assert len(runs) == 4  # csv + anything for the report; anything for out/x.txt; theirs
    mine = {(r.deployment_name, json.dumps(r.parameters, sort_keys=True)) for r in sh.runs()}
    assert ("files-dep", json.dumps({"bucket": "data", "cursor": "", "key": "in/my report(2).csv",
                                     "n": 3}, sort_keys=True)) in mine
    assert {p for d, p in mine if d == "other-dep"} == {
        json.dumps({"bucket": "none", "cursor": k, "key": "none", "n": 0}, sort_keys=True)
        for k in ("in/my report(2).csv", "out/x.txt")}
    assert [r.parameters["key"] for r in sh.runs(other_org)] == ["in/my report(2).csv"]
    again = sensors.handle_s3_notification(sh.deps, records)  # redelivered
    assert sorted(r.run_id for r in again) == sorted(r.run_id for r in runs)
    assert len(sh.runs()) == 3 and len(sh.runs(other_org)) == 1
    newer = sensors.handle_s3_notification(sh.deps, [s3_record("data", "in/my+report%282%29.csv",
                                                               sequencer="0B2")])
    assert len(newer) == 3 and len(sh.runs()) == 5  # an overwrite is a new object version
    assert sh.stored(csv.sensor_id).last_triggered_at is not None
    assert theirs.org_id == other_org.org_id and anything.enabled


def test_s3_skips_disabled_sensors_and_unusable_deployments(sh):
    paused = sh.sensor("s3", {"bucket": "data"}, deployment_name="other-dep")
    off = sh.sensor("s3", {"bucket": "data"})
    ok = sh.sensor("s3", {"bucket": "data"})
    sensors.set_enabled(sh.deps, sh.principal, off.sensor_id, False)
    from dagy.application.use_cases.deployments import set_paused
    set_paused(sh.deps, sh.principal, "other-dep", True)
    runs = sensors.handle_s3_notification(sh.deps, [s3_record("data", "k")])
    assert len(runs) == 1 and runs[0].deployment_name == "files-dep"
    assert sh.stored(ok.sensor_id).last_triggered_at is not None
    assert sh.stored(paused.sensor_id).last_triggered_at is None
    with pytest.raises(ValidationError):
        sensors.handle_s3_notification(sh.deps, {"not": "a list"})
    assert sensors.handle_s3_notification(sh.deps, []) == []
    assert Principal(ok.org_id) == sh.principal
