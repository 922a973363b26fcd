"""Sensor credentials in the use cases: tokens are shown once and looked up by hash,
secrets are encrypted with the server key, older plaintext rows are sealed and still
refuse unsigned bodies until then."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from property_budget import examples

from dagy.adapters.crypto.aes_gcm import AesGcmSecretCipher, generate_key_text
from dagy.application.ports.crypto import SecretUnreadable
from dagy.application.use_cases import sensors
from dagy.domain.errors import ConfigurationError, NotFoundError
from dagy.domain.schedules.sensors import new_webhook_token, sign, webhook_token_hash
from dagy.domain.tenancy import AuthenticationError, hash_secret


def stored_row(sh, sensor_id):
    with sh.deps.uow() as uow:
        return uow.sensors.get(sh.principal.org_id, sensor_id)


def test_the_token_is_shown_on_create_and_rotate_only_and_stored_as_its_hash(sh):
    sensor = sh.sensor("webhook", {"hmac_secret": "s3cret"})
    row = stored_row(sh, sensor.sensor_id)
    assert row.webhook_token is None and row.webhook_token_hash == hash_secret(sensor.webhook_token)
    assert sh.stored(sensor.sensor_id).webhook_token is None  # reads never show it
    rotated = sensors.rotate_token(sh.deps, sh.principal, sensor.sensor_id)
    row = stored_row(sh, sensor.sensor_id)
    assert row.webhook_token is None and row.webhook_token_hash == hash_secret(rotated.webhook_token)
    assert "s3cret" not in repr(row) and rotated.webhook_token not in repr(row)
    assert sh.deps.secret_cipher.decrypt(row.hmac_secret_ciphertext) == "s3cret"


def test_the_token_hash_is_the_api_key_rule():
    token_hash, token = new_webhook_token()
    assert token_hash == webhook_token_hash(token) == hash_secret(token) != token
    assert len(token) >= 43 and new_webhook_token()[1] != token


@settings(max_examples=examples(50), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.one_of(st.text(max_size=200), st.none(), st.integers(), st.binary(max_size=9)))
def test_any_presented_token_is_refused_cleanly(sh, token):
    with pytest.raises(NotFoundError):  # never a crash while hashing or looking it up
        sensors.handle_webhook(sh.deps, token, b"{}", {})


def test_webhooks_with_odd_tokens_answer_not_found(sh):
    sh.sensor("webhook")
    for token in ("", "x" * 129, "\ud800", "é" * 10, None, hash_secret("x")):
        with pytest.raises(NotFoundError):
            sensors.handle_webhook(sh.deps, token, b"{}", {})


def test_a_new_secret_replaces_the_ciphertext_and_signatures_follow(sh):
    sensor = sh.sensor("webhook", {"hmac_secret": "first"})
    sensors.patch_sensor(sh.deps, sh.principal, sensor.sensor_id,
                         {"config": {"hmac_secret": "second"}})
    body = b'{"a": 1}'
    with pytest.raises(AuthenticationError):
        sensors.handle_webhook(sh.deps, sensor.webhook_token, body,
                               {"X-Dagy-Signature": sign("first", body)})
    assert sensors.handle_webhook(sh.deps, sensor.webhook_token, body,
                                  {"X-Dagy-Signature": sign("second", body)})


def _make_legacy(sh, sensor, secret: str) -> None:
    """The row as an earlier version stored it: the secret in plaintext in the config."""
    with sh.deps.uow() as uow:
        row = uow.sensors.get(sh.principal.org_id, sensor.sensor_id)
        legacy = dataclasses.replace(row, config={**row.config, "hmac_secret": secret},
                                     hmac_secret_ciphertext=None)
        uow.sensors.update(legacy)
        uow.commit()


def test_plaintext_secrets_are_sealed_and_refuse_unsigned_bodies_before_that(sh):
    sensor, other = sh.sensor("webhook"), sh.sensor("webhook", {"max_payload_bytes": 99})
    _make_legacy(sh, sensor, "legacy-secret")
    body = b'{"a": 1}'
    good = {"X-Dagy-Signature": sign("legacy-secret", body)}
    with pytest.raises(AuthenticationError):  # not sealed yet: still enforced
        sensors.handle_webhook(sh.deps, sensor.webhook_token, body, {})
    assert sensors.handle_webhook(sh.deps, sensor.webhook_token, body, good)
    assert sensors.seal_plaintext_secrets(sh.deps, batch=1) == 1
    assert sensors.seal_plaintext_secrets(sh.deps) == 0
    row = stored_row(sh, sensor.sensor_id)
    assert "hmac_secret" not in row.config and "legacy-secret" not in repr(row)
    assert sh.deps.secret_cipher.decrypt(row.hmac_secret_ciphertext) == "legacy-secret"
    assert stored_row(sh, other.sensor_id).hmac_secret_ciphertext is None
    with pytest.raises(AuthenticationError):
        sensors.handle_webhook(sh.deps, sensor.webhook_token, body, {})
    assert sensors.handle_webhook(sh.deps, sensor.webhook_token, body, good)


def test_a_patch_seals_a_plaintext_secret_it_keeps(sh):
    sensor = sh.sensor("webhook")
    _make_legacy(sh, sensor, "kept")
    patched = sensors.patch_sensor(sh.deps, sh.principal, sensor.sensor_id,
                                   {"config": {"max_payload_bytes": 50}})
    assert "hmac_secret" not in patched.config
    assert sh.deps.secret_cipher.decrypt(patched.hmac_secret_ciphertext) == "kept"


def test_many_plaintext_secrets_are_sealed_in_batches(sh):
    made = [sh.sensor("webhook", name=f"w{i}") for i in range(7)]
    for i, sensor in enumerate(made):
        _make_legacy(sh, sensor, f"secret-{i}")
    assert sensors.seal_plaintext_secrets(sh.deps, batch=3) == 7
    for i, sensor in enumerate(made):
        row = stored_row(sh, sensor.sensor_id)
        assert sh.deps.secret_cipher.decrypt(row.hmac_secret_ciphertext) == f"secret-{i}"


def test_a_secret_under_another_key_is_unreadable_not_skipped(sh):
    sensor = sh.sensor("webhook", {"hmac_secret": "s"})
    sh.deps.secret_cipher = AesGcmSecretCipher.from_text(generate_key_text())  # key lost
    body = b"{}"
    with pytest.raises(SecretUnreadable):
        sensors.handle_webhook(sh.deps, sensor.webhook_token, body,
                               {"X-Dagy-Signature": sign("s", body)})
    assert sh.runs() == []


def test_without_a_cipher_secrets_are_refused_before_anything_is_written(sh):
    sh.deps.secret_cipher = None
    with pytest.raises(ConfigurationError, match="DAGY_SECRET_KEY"):
        sh.sensor("webhook", {"hmac_secret": "s"})
    with sh.deps.uow() as uow:
        assert uow.sensors.list(sh.principal.org_id)[0] == []
    assert sh.sensor("webhook").webhook_token  # no secret: no cipher needed
