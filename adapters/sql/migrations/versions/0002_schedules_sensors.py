"""Schedules and sensors.

Written out by hand (not imported from tables.py) so this revision never changes when
the metadata moves on; tests check the result equals dagy.adapters.sql.tables.metadata.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("schedule_id", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("deployment_name", sa.String(200), nullable=False),
        sa.Column("flow_name", sa.String(200), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("cron_expression", sa.String(200)),
        sa.Column("interval_seconds", sa.BigInteger),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("start_at", TS),
        sa.Column("end_at", TS),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("catchup_policy", sa.String(16), nullable=False),
        sa.Column("max_catchup_runs", sa.Integer, nullable=False),
        sa.Column("dst_policy", sa.JSON, nullable=False),
        sa.Column("next_run_epoch", sa.BigInteger),  # epoch seconds
        sa.Column("next_run_at", TS),
        sa.Column("last_triggered_at", TS),
        sa.Column("created_at", TS),
        sa.Column("updated_at", TS),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_schedules_due", "schedules", ["enabled", "next_run_epoch"])
    op.create_index("ix_schedules_org_deployment", "schedules", ["org_id", "deployment_name"])
    op.create_table(
        "sensors",
        sa.Column("sensor_id", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sensor_type", sa.String(16), nullable=False),
        sa.Column("deployment_name", sa.String(200), nullable=False),
        sa.Column("flow_name", sa.String(200), nullable=False),
        sa.Column("flow_params", sa.JSON, nullable=False),
        sa.Column("config", sa.JSON, nullable=False),
        sa.Column("s3_bucket", sa.String(255)),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("webhook_token", sa.String(128)),
        sa.Column("cursor", sa.Text),
        sa.Column("next_poll_epoch", sa.BigInteger),  # epoch seconds
        sa.Column("last_triggered_at", TS),
        sa.Column("created_at", TS),
        sa.Column("updated_at", TS),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("webhook_token", name="uq_sensors_webhook_token"),
    )
    op.create_index("ix_sensors_poll", "sensors", ["sensor_type", "enabled", "next_poll_epoch"])
    op.create_index("ix_sensors_s3_bucket", "sensors", ["s3_bucket"])
    op.create_index("ix_sensors_org", "sensors", ["org_id", "sensor_id"])


def downgrade() -> None:
    op.drop_table("sensors")
    op.drop_table("schedules")
