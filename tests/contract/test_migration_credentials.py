"""Migration 0004 on SQLite and PostgreSQL: sensors written before credentials were
protected get their tokens hashed by the migration and their HMAC secrets encrypted at
start-up (seal_plaintext_secrets); the old tokens and signatures keep working."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from alembic import command

from dagy.adapters.crypto.aes_gcm import AesGcmSecretCipher, generate_key_text
from dagy.adapters.sql.migrate import alembic_config, upgrade
from dagy.adapters.sql.uow import SqlUnitOfWork
from dagy.application.use_cases.sensors import seal_plaintext_secrets
from dagy.domain.schedules.sensors import sign, verify_signature
from dagy.domain.tenancy import hash_secret
from dagy.entrypoints.wiring import build_deps

TOKEN, OTHER_TOKEN, SECRET = "Legacy-token-qX7k1f3mZ0a9bC", "second-token-WmN5p0o2rT", "s3cret-Hm4C"


def _legacy_row(sensor_id: str, token: str | None, config: dict, **extra) -> dict:
    return dict(sensor_id=sensor_id, org_id="o", name=sensor_id, sensor_type="webhook",
                deployment_name="d", flow_name="f", flow_params="{}", config=json.dumps(config),
                s3_bucket=None, enabled=True, webhook_token=token, cursor=None,
                next_poll_epoch=None, version=3, **extra)


def _insert_before_0004(engine: sa.Engine) -> None:
    upgrade(engine, "0003")
    columns = ("sensor_id, org_id, name, sensor_type, deployment_name, flow_name, flow_params, "
               "config, s3_bucket, enabled, webhook_token, cursor, next_poll_epoch, version")
    values = ", ".join(f":{c.strip()}" for c in columns.split(","))
    with engine.begin() as conn:
        for row in (_legacy_row("signed", TOKEN, {"hmac_secret": SECRET,
                                                  "signature_header": "X-Sig"}),
                    _legacy_row("plain", OTHER_TOKEN, {"max_payload_bytes": 10}),
                    _legacy_row("tokenless", None, {})):
            conn.execute(sa.text(f"INSERT INTO sensors ({columns}) VALUES ({values})"), row)


def _raw(engine: sa.Engine) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM sensors ORDER BY sensor_id")).mappings()
        return {row["sensor_id"]: dict(row) for row in rows}


def test_0004_hashes_tokens_and_start_up_encrypts_secrets(sql_engine):
    _insert_before_0004(sql_engine)
    upgrade(sql_engine)
    rows = _raw(sql_engine)
    assert "webhook_token" not in rows["signed"]
    assert rows["signed"]["webhook_token_hash"] == hash_secret(TOKEN)
    assert rows["plain"]["webhook_token_hash"] == hash_secret(OTHER_TOKEN)
    assert rows["tokenless"]["webhook_token_hash"] is None
    assert TOKEN not in repr(rows) and OTHER_TOKEN not in repr(rows)

    cipher = AesGcmSecretCipher.from_text(generate_key_text())
    deps = build_deps(uow=lambda: SqlUnitOfWork(sql_engine), secret_cipher=cipher)
    assert seal_plaintext_secrets(deps) == 1
    assert seal_plaintext_secrets(deps) == 0  # idempotent: nothing left
    rows = _raw(sql_engine)
    assert SECRET not in repr(rows) and TOKEN not in repr(rows)
    signed = rows["signed"]
    config = signed["config"] if isinstance(signed["config"], dict) else json.loads(signed["config"])
    assert config == {"signature_header": "X-Sig"} and signed["version"] == 4
    assert cipher.decrypt(signed["hmac_secret_ciphertext"]) == SECRET
    assert rows["plain"]["hmac_secret_ciphertext"] is None and rows["plain"]["version"] == 3

    with SqlUnitOfWork(sql_engine) as uow:  # the old token still finds it, by its hash
        found = uow.sensors.get_by_token_hash(hash_secret(TOKEN))
    body = b'{"n": 1}'
    assert found.sensor_id == "signed"
    assert verify_signature(cipher.decrypt(found.hmac_secret_ciphertext), body,
                            sign(SECRET, body))


def test_0004_downgrades_without_inventing_plaintext(sql_engine):
    _insert_before_0004(sql_engine)
    upgrade(sql_engine)
    with sql_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003")
    rows = _raw(sql_engine)
    assert {r["webhook_token"] for r in rows.values()} == {None}  # rotate to use them again
    assert "webhook_token_hash" not in rows["signed"]
    upgrade(sql_engine)
    assert _raw(sql_engine)["signed"]["webhook_token_hash"] is None


def test_two_sensors_cannot_share_a_token_hash_after_0004(sql_engine):
    _insert_before_0004(sql_engine)
    upgrade(sql_engine)
    with pytest.raises(sa.exc.IntegrityError), sql_engine.begin() as conn:
        conn.execute(sa.text("UPDATE sensors SET webhook_token_hash = :h WHERE sensor_id = "
                             "'tokenless'"), {"h": hash_secret(TOKEN)})
