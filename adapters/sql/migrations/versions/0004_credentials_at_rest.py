"""Webhook credentials at rest: tokens hashed, HMAC secrets encrypted.

`sensors.webhook_token` (plaintext) becomes `webhook_token_hash`, the SHA-256 hex that
domain.tenancy.hash_secret computes, the one rule for every hashed credential (API keys
use it too; a stored hash has to equal what the running code computes). Existing tokens
are hashed here, row by row in Python, which works the same on SQLite and PostgreSQL.
On SQLite the connection zeroes what it frees (secure_delete), so the plaintext does not
linger in free pages; on PostgreSQL old row versions last until VACUUM.

`hmac_secret_ciphertext` receives the webhook's HMAC secret encrypted with the server
key. A migration has no server key, so secrets still in a sensor's config are
encrypted at start-up (dagy.application.use_cases.sensors.seal_plaintext_secrets), right
after the migrations run.

Downgrading cannot restore plaintext: tokens come back empty (no webhook answers until
its token is rotated) and encrypted secrets are dropped.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from dagy.domain.tenancy import hash_secret

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_sensors = sa.table("sensors", sa.column("sensor_id", sa.String),
                    sa.column("webhook_token", sa.String),
                    sa.column("webhook_token_hash", sa.String))


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # the copied-away table's pages are zeroed, not freed
        bind.exec_driver_sql("PRAGMA secure_delete = ON")
    with op.batch_alter_table("sensors") as batch:
        batch.add_column(sa.Column("webhook_token_hash", sa.String(64)))
        batch.add_column(sa.Column("hmac_secret_ciphertext", sa.Text))
    rows = bind.execute(sa.select(_sensors.c.sensor_id, _sensors.c.webhook_token)
                        .where(_sensors.c.webhook_token.is_not(None))).all()
    for sensor_id, token in rows:
        bind.execute(sa.update(_sensors).where(_sensors.c.sensor_id == sensor_id)
                     .values(webhook_token_hash=hash_secret(token), webhook_token=None))
    with op.batch_alter_table("sensors") as batch:
        batch.drop_constraint("uq_sensors_webhook_token", type_="unique")
        batch.drop_column("webhook_token")
        batch.create_unique_constraint("uq_sensors_webhook_token_hash", ["webhook_token_hash"])


def downgrade() -> None:
    with op.batch_alter_table("sensors") as batch:
        batch.drop_constraint("uq_sensors_webhook_token_hash", type_="unique")
        batch.drop_column("webhook_token_hash")
        batch.drop_column("hmac_secret_ciphertext")
        batch.add_column(sa.Column("webhook_token", sa.String(128)))
        batch.create_unique_constraint("uq_sensors_webhook_token", ["webhook_token"])
