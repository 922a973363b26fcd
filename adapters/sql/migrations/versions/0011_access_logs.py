"""The access log: one row per API request answered (`GET /access-logs`).

`access_logs` rows are written in batches by the access-log writer, never on the
request's path: when the request was answered, its method, route template (not the raw
path's ids), path, status, latency, the credential that made it (an API key id, a token
id or "anonymous"), its org (null when none was known, e.g. a 401), the client's IP, its
user agent (truncated) and the request id. Retention deletes the oldest rows in bounded
batches, by the `at` index. Written by hand, as 0002 is.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "access_logs",
        sa.Column("log_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                  primary_key=True, autoincrement=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("org_id", sa.String(64)),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("route", sa.String(300), nullable=False),
        sa.Column("path", sa.String(2000), nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("credential_id", sa.String(64), nullable=False),
        sa.Column("client_ip", sa.String(64), nullable=False),
        sa.Column("user_agent", sa.String(300), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=False),
    )
    op.create_index("ix_access_logs_org", "access_logs", ["org_id", "log_id"])
    op.create_index("ix_access_logs_at", "access_logs", ["at"])


def downgrade() -> None:
    op.drop_index("ix_access_logs_at", "access_logs")
    op.drop_index("ix_access_logs_org", "access_logs")
    op.drop_table("access_logs")
