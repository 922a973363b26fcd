"""Environments: every org has named environments, and each deployment belongs to one.

- `environments` (org_id, env_name) holds whether an environment is protected, its
  default executor and runtime tier and a JSON object of configuration. Every existing
  org gets the three every new org starts with: development, staging and production
  (production protected), in that listing order (`seq`).
- `deployments.environment` names the deployment's environment; existing deployments
  are in "development". `deployments.promoted_from` names the deployment a promotion
  copied it from (NULL: deployed directly), so promoting again updates the same one.

Written by hand, as 0002 is.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
_SEEDED = (("development", False), ("staging", False), ("production", True))


def upgrade() -> None:
    conn = op.get_bind()
    op.create_table(
        "environments",
        sa.Column("org_id", sa.String(64), primary_key=True),
        sa.Column("env_name", sa.String(64), primary_key=True),
        sa.Column("is_protected", sa.Boolean, nullable=False),
        sa.Column("default_executor", sa.String(64)),
        sa.Column("default_runtime_tier", sa.String(16)),
        sa.Column("config_json", sa.JSON, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("created_at", TS),
        sa.Column("updated_at", TS),
    )
    op.create_index("ix_environments_org_seq", "environments", ["org_id", "seq"])
    now = datetime.now(timezone.utc)
    orgs = conn.execute(sa.text("SELECT org_id FROM organizations ORDER BY org_id")).all()
    rows = [{"org_id": org_id, "env_name": name, "is_protected": protected,
             "seq": position, "created_at": now, "updated_at": now}
            for (org_id,) in orgs for position, (name, protected) in enumerate(_SEEDED, 1)]
    if rows:
        conn.execute(sa.text(
            "INSERT INTO environments (org_id, env_name, is_protected, default_executor, "
            "default_runtime_tier, config_json, seq, created_at, updated_at) VALUES "
            "(:org_id, :env_name, :is_protected, NULL, NULL, '{}', :seq, :created_at, "
            ":updated_at)"), rows)
    with op.batch_alter_table("deployments") as batch:
        batch.add_column(sa.Column("environment", sa.String(64), nullable=False,
                                   server_default="development"))
        batch.add_column(sa.Column("promoted_from", sa.String(200)))
    with op.batch_alter_table("deployments") as batch:  # the default was for existing rows
        batch.alter_column("environment", server_default=None)
    op.create_index("ix_deployments_org_environment", "deployments",
                    ["org_id", "environment"])


def downgrade() -> None:
    op.drop_index("ix_deployments_org_environment", table_name="deployments")
    with op.batch_alter_table("deployments") as batch:
        batch.drop_column("promoted_from")
        batch.drop_column("environment")
    op.drop_index("ix_environments_org_seq", table_name="environments")
    op.drop_table("environments")
