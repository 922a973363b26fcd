"""Invitations to join an organization (`POST /orgs/{org_id}/invitations`).

`invitations` holds one row per invitation: the org, the invited email (lower-cased),
the role it grants (never above its inviter's), who invited, the keyed hash of the
token's secret (HMAC-SHA256 with the API-key pepper; the plaintext is answered once and
never stored), when it was made and when it expires, and when and by whom it was
accepted. `seq` is the listing order within the org. Written by hand, as 0002 is.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("invitation_id", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("inviter_id", sa.String(64), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("accepted_at", TS),
        sa.Column("accepted_by", sa.String(64)),
        sa.Column("seq", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_invitations_org_seq", "invitations", ["org_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_invitations_org_seq", "invitations")
    op.drop_table("invitations")
