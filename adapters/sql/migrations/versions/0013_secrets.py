"""Secrets: an org's encrypted values, org-wide or scoped to one environment.

`secrets` is keyed by (org_id, environment, secret_name): `environment` is '' for an
org-wide secret and an environment's name otherwise (the empty string rather than NULL
so the primary key makes an org-wide name unique too: NULL never collides in SQL).
`encrypted_value` is a SecretCipher ciphertext (fernet1.<key id>.<token>), never the
value; `key_id` repeats the id of the key that made it, indexed, so `dagy secrets
rotate-key` finds the rows still under an old key without decrypting anything. `seq`
orders an org's listing. Written by hand, as 0002 is.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "secrets",
        sa.Column("org_id", sa.String(64), primary_key=True),
        sa.Column("environment", sa.String(64), primary_key=True),
        sa.Column("secret_name", sa.String(128), primary_key=True),
        sa.Column("encrypted_value", sa.Text, nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("created_by", sa.String(320)),
        sa.Column("updated_by", sa.String(320)),
        sa.Column("created_at", TS),
        sa.Column("updated_at", TS),
    )
    op.create_index("ix_secrets_org_seq", "secrets", ["org_id", "seq"])
    op.create_index("ix_secrets_key_id", "secrets", ["key_id"])


def downgrade() -> None:
    op.drop_index("ix_secrets_key_id", "secrets")
    op.drop_index("ix_secrets_org_seq", "secrets")
    op.drop_table("secrets")
