"""Schedules record what became of each slot.

`schedule_slots` holds one row per slot the tick handled, (org_id, schedule_id, epoch)
being the key: "triggered" with the run's id, or "refused" with the reason (deployment
paused or deleted, parameters no longer valid), so no slot is dropped silently. The
repositories keep the newest 100 per schedule. Written by hand, as 0002 is.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "schedule_slots",
        sa.Column("org_id", sa.String(64), primary_key=True),
        sa.Column("schedule_id", sa.String(64), primary_key=True),
        sa.Column("epoch", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("scheduled_for", TS, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("run_id", sa.String(64)),
        sa.Column("recorded_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("schedule_slots")
