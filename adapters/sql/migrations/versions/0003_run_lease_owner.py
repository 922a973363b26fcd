"""Runs record who holds their lease.

`runs.lease_owner` is the instance id of the server whose executor holds a RUNNING
run's lease, so a restarted server can take back its own interrupted runs at once
instead of waiting for their leases to expire. Written by hand, as 0002 is.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("lease_owner", sa.String(100)))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("lease_owner")
