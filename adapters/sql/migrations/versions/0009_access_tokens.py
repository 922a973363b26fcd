"""Access and refresh tokens for people (`POST /auth/login`, `/auth/refresh`).

`access_tokens` holds one row per issued token: its kind ("access" or "refresh"), the
person it belongs to, the family it was issued in (a login starts a family; every
refresh of it issues into the same family, so presenting a used refresh token can revoke
them all), the keyed hash of its secret (HMAC-SHA256 with the API-key pepper), when it
expires, whether it was revoked, and (refresh tokens) when it was used. The plaintext
token is never stored. Written by hand, as 0002 is.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "access_tokens",
        sa.Column("token_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("family_id", sa.String(64), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.Column("used_at", TS),
    )
    op.create_index("ix_access_tokens_family", "access_tokens", ["family_id"])
    op.create_index("ix_access_tokens_user", "access_tokens", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_access_tokens_user", "access_tokens")
    op.drop_index("ix_access_tokens_family", "access_tokens")
    op.drop_table("access_tokens")
