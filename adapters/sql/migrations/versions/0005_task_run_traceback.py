"""Task runs keep their failed attempt's traceback.

`task_runs.error_traceback` holds the formatted traceback of the last failed attempt
(cut to its last 8,000 characters, where the raising frame is), so `dagy runs show` and
`GET /runs/{id}/task-runs` can show why a task failed without searching the logs.
Written by hand, as 0002 is.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("task_runs") as batch:
        batch.add_column(sa.Column("error_traceback", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("task_runs") as batch:
        batch.drop_column("error_traceback")
