"""The audit log: one row per mutation, hash-chained per organization (`GET /audit-logs`).

`audit_logs` rows are only ever inserted (no code path updates or deletes them): `seq`
numbers an org's entries 1, 2, ... (unique per org, so two writers can never both take
the same place in the chain), `prev_hash` links each entry to the previous one and
`entry_hash` is the SHA-256 over the entry's fields (domain/audit.py). Indexed for the
list filters: by resource, by actor, by time. Written by hand, as 0002 is.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "audit_logs",
        sa.Column("entry_id", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("resource_type", sa.String(64), nullable=False),
        sa.Column("resource_id", sa.String(300), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("before_json", sa.JSON),
        sa.Column("after_json", sa.JSON),
        sa.Column("ip", sa.String(64)),
        sa.Column("request_id", sa.String(128)),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("org_id", "seq", name="uq_audit_logs_org_seq"),
    )
    op.create_index("ix_audit_logs_resource", "audit_logs",
                    ["org_id", "resource_type", "resource_id"])
    op.create_index("ix_audit_logs_actor", "audit_logs", ["org_id", "actor"])
    op.create_index("ix_audit_logs_at", "audit_logs", ["org_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_logs_at", "audit_logs")
    op.drop_index("ix_audit_logs_actor", "audit_logs")
    op.drop_index("ix_audit_logs_resource", "audit_logs")
    op.drop_table("audit_logs")
