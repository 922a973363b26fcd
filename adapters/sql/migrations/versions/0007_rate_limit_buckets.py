"""Token buckets for rate limiting, shared by every process on one database.

`rate_limit_buckets` holds one row per credential or org that made requests recently:
its tokens and when they were last counted (epoch seconds). Several API processes (a
fleet of Lambdas) take tokens from the same row inside one transaction, so the limit
holds across all of them. Written by hand, as 0002 is.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_buckets",
        sa.Column("bucket_key", sa.String(300), primary_key=True),
        sa.Column("tokens", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rate_limit_buckets")
