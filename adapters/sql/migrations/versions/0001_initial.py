"""Initial schema: tenancy, catalog, runs, task runs, outbox, SQL queue, run logs.

Written out by hand (not imported from tables.py) so this revision never changes when
the metadata moves on; tests check the result equals dagy.adapters.sql.tables.metadata.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("org_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", TS),
    )
    op.create_table(
        "users",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("created_at", TS),
        sa.UniqueConstraint("org_id", "email", name="uq_users_org_email"),
    )
    op.create_index("ix_users_org_id", "users", ["org_id"])
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(32), nullable=False, unique=True),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("scopes", sa.JSON, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.Column("created_at", TS),
    )
    op.create_index("ix_api_keys_org_id", "api_keys", ["org_id"])
    op.create_table(
        "flows",
        sa.Column("org_id", sa.String(64), primary_key=True),
        sa.Column("flow_name", sa.String(200), primary_key=True),
        sa.Column("flow_version", sa.String(100), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("namespace", sa.String(300), nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("flow_spec_json", sa.Text, nullable=False),
        sa.Column("artifact_uri", sa.Text, nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("default_executor", sa.String(32)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TS),
        sa.Column("updated_at", TS),
    )
    op.create_table(
        "deployments",
        sa.Column("org_id", sa.String(64), primary_key=True),
        sa.Column("deployment_name", sa.String(200), primary_key=True),
        sa.Column("flow_name", sa.String(200), nullable=False),
        sa.Column("flow_version", sa.String(100), nullable=False),
        sa.Column("schedule", sa.String(200)),
        sa.Column("default_executor", sa.String(32)),
        sa.Column("default_runtime_tier", sa.String(16)),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TS),
        sa.Column("updated_at", TS),
    )
    op.create_table(
        "runs",
        sa.Column("run_id", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("run_slug", sa.String(100)),
        sa.Column("flow_name", sa.String(200), nullable=False),
        sa.Column("flow_version", sa.String(100), nullable=False),
        sa.Column("deployment_name", sa.String(200)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("executor", sa.String(32)),
        sa.Column("external_id", sa.String(300)),
        sa.Column("runtime_tier", sa.String(16)),
        sa.Column("idempotency_key", sa.String(300)),
        sa.Column("result", sa.JSON),
        sa.Column("error_message", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("lease_expires_at", TS),
        sa.Column("created_at", TS),
        sa.Column("started_at", TS),
        sa.Column("completed_at", TS),
        sa.UniqueConstraint("org_id", "idempotency_key", name="uq_runs_org_idempotency_key"),
    )
    op.create_index("ix_runs_org_created", "runs", ["org_id", "created_at", "run_id"])
    op.create_index("ix_runs_org_status", "runs", ["org_id", "status"])
    op.create_index("ix_runs_lease", "runs", ["status", "lease_expires_at"])
    op.create_table(
        "task_runs",
        sa.Column("task_run_id", sa.String(300), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("task_id", sa.String(200), nullable=False),
        sa.Column("task_name", sa.String(200), nullable=False),
        sa.Column("map_index", sa.Integer),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("executor", sa.String(32)),
        sa.Column("started_at", TS),
        sa.Column("completed_at", TS),
        sa.Column("error_message", sa.Text),
        sa.Column("output_ref", sa.Text),
        sa.Column("result", sa.JSON),
        sa.Column("seq", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_task_runs_run", "task_runs", ["org_id", "run_id", "seq"])
    op.create_table(
        "outbox",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", TS),
        sa.Column("dispatched_at", TS),
    )
    op.create_index("ix_outbox_pending", "outbox", ["dispatched_at", "seq"])
    op.create_table(
        "queue_messages",
        sa.Column("message_id", sa.String(64), primary_key=True),
        sa.Column("queue", sa.String(100), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("visible_at", sa.BigInteger, nullable=False),  # epoch milliseconds
        sa.Column("receive_count", sa.Integer, nullable=False),
        sa.Column("receipt", sa.String(64)),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("created_at", TS),
    )
    op.create_index("ix_queue_visible", "queue_messages", ["queue", "visible_at", "seq"])
    op.create_table(
        "log_lines",
        sa.Column("line_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  primary_key=True, autoincrement=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("log_group", sa.String(300), nullable=False),
        sa.Column("log_stream", sa.String(400), nullable=False),
        sa.Column("task_run_id", sa.String(300)),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("timestamp", TS, nullable=False),
    )
    op.create_index("ix_log_lines_run", "log_lines", ["org_id", "run_id", "line_id"])


def downgrade() -> None:
    for table in ("log_lines", "queue_messages", "outbox", "task_runs", "runs", "deployments",
                  "flows", "api_keys", "users", "organizations"):
        op.drop_table(table)
