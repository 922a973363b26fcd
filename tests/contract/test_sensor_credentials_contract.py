"""Sensor repositories keep credentials only in stored form, on every adapter: the row
holds the token's hash and the secret's ciphertext, never a plaintext token or secret
(read back raw: the SQL row itself, the in-memory store's objects)."""

from __future__ import annotations

import sqlalchemy as sa
from repo_builders import add_committed, sensor

from dagy.adapters.crypto.aes_gcm import AesGcmSecretCipher, generate_key_text
from dagy.domain.schedules.sensors import new_webhook_token, webhook_token_hash

SECRET = "hmac-secret-Zq8p2"


def raw_sensor_rows(uow) -> str:
    """Everything the datastore holds for sensors, as text, read around the repository."""
    if hasattr(uow, "_conn"):  # SQL: the rows as the database returns them
        rows = uow._conn.execute(sa.text("SELECT * FROM sensors")).mappings().all()
        return repr([dict(row) for row in rows])
    tables = uow._store.tables  # memory: the stored objects and the token index
    return repr({name: tables.get(name) for name in ("sensors", "sensor_tokens")})


def test_the_stored_row_holds_the_token_hash_and_the_secret_ciphertext_only(uow_factory):
    cipher = AesGcmSecretCipher.from_text(generate_key_text())
    token_hash, token = new_webhook_token()
    w = sensor("o", "w1", webhook_token=token, webhook_token_hash=token_hash,
               hmac_secret_ciphertext=cipher.encrypt(SECRET), config={"max_payload_bytes": 9})
    add_committed(uow_factory, "sensors", w)
    with uow_factory() as uow:
        raw = raw_sensor_rows(uow)
        got = uow.sensors.get_by_token_hash(webhook_token_hash(token))
        assert uow.sensors.get_by_token_hash(token) is None  # never looked up in clear
    assert token not in raw and SECRET not in raw
    assert token_hash in raw and "'hmac_secret'" not in raw  # not in the config either
    assert got.sensor_id == "w1" and got.webhook_token is None
    assert cipher.decrypt(got.hmac_secret_ciphertext) == SECRET


def test_updates_never_store_a_plaintext_token_either(uow_factory):
    add_committed(uow_factory, "sensors", sensor("o", "w1", webhook_token_hash="h0"))
    token_hash, token = new_webhook_token()
    with uow_factory() as uow:
        current = uow.sensors.get("o", "w1")
        current.webhook_token_hash, current.webhook_token = token_hash, token
        current.version = 1
        assert uow.sensors.compare_and_set(current, 0)
        uow.commit()
    with uow_factory() as uow:
        assert token not in raw_sensor_rows(uow)
        assert uow.sensors.get_by_token_hash("h0") is None
        assert uow.sensors.get_by_token_hash(token_hash).webhook_token is None


def test_with_plaintext_secret_finds_only_webhook_configs_holding_one(uow_factory):
    legacy = [sensor("b", "w2", config={"hmac_secret": "old-2"}),
              sensor("a", "w1", config={"hmac_secret": "old-1", "max_payload_bytes": 5})]
    others = [sensor("a", "sealed", hmac_secret_ciphertext="dagy1.x.y"),
              sensor("a", "mentions", config={"parameter_mapping": {"n": "$.hmac_secret"},
                                               "signature_header": "hmac_secret"}),
              sensor("a", "s3", "s3", config={"bucket": "b", "prefix": '"hmac_secret"'}),
              sensor("a", "null", config={"hmac_secret": None})]
    add_committed(uow_factory, "sensors", *others, *legacy)
    with uow_factory() as uow:
        assert [s.sensor_id for s in uow.sensors.with_plaintext_secret(10)] == ["w1", "w2"]
        assert [s.sensor_id for s in uow.sensors.with_plaintext_secret(1)] == ["w1"]
        assert uow.sensors.with_plaintext_secret(1)[0].config["hmac_secret"] == "old-1"
