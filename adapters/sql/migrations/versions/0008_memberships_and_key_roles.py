"""People belong to orgs through memberships; API keys get a role, environments, expiry.

- `memberships` (org_id, user_id, role) takes the org and role out of `users`, so one
  person can belong to several orgs. Each old user row becomes a membership; users of
  several orgs with the same email (case-insensitively) become one person, and their API
  keys follow. Old roles map onto the new ones: "admin" (what the bootstrap made, and
  what could do everything) becomes "owner", "member" becomes "developer".
- `users.email` is unique and lower-cased; `password_hash` and `external_subject`
  (identity-provider accounts) are added.
- `api_keys` loses `scopes` (every key could do everything: they become "owner"), gains
  `role`, `environments`, `expires_at`, `last_used_at`, `seq` (listing order) and
  `hash_scheme`: old keys keep their plain SHA-256 ("sha256") until first use re-hashes
  them with the server's pepper.

Downgrading puts each person back in the org of their oldest membership (a person of
several orgs keeps only that one) and drops what the old tables cannot hold.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
_ROLES = {"admin": "owner", "member": "developer"}
_VALID = ("viewer", "operator", "developer", "admin", "owner")


def _role(old: str) -> str:
    role = _ROLES.get(old, old)
    return role if role in _VALID else "viewer"


def upgrade() -> None:
    conn = op.get_bind()
    op.create_table(
        "memberships",
        sa.Column("org_id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", TS),
        sa.Column("seq", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_memberships_user", "memberships", ["user_id"])
    op.create_index("ix_memberships_org_seq", "memberships", ["org_id", "seq"])
    rows = conn.execute(sa.text("SELECT user_id, org_id, email, role, created_at FROM users "
                                "ORDER BY created_at, user_id")).mappings().all()
    person: dict[str, str] = {}  # lower-cased email -> the user id kept
    merged: dict[str, str] = {}  # dropped user id -> kept user id
    members: dict[tuple[str, str], dict] = {}
    for seq, row in enumerate(rows, start=1):
        email = row["email"].strip().lower()
        kept = person.setdefault(email, row["user_id"])
        if kept != row["user_id"]:
            merged[row["user_id"]] = kept
        role = _role(row["role"])
        key = (row["org_id"], kept)
        held = members.get(key)
        if held is None or _VALID.index(role) > _VALID.index(held["role"]):
            members[key] = {"org_id": row["org_id"], "user_id": kept, "role": role,
                            "created_at": row["created_at"], "seq": seq}
    if members:
        conn.execute(sa.text("INSERT INTO memberships (org_id, user_id, role, created_at, seq) "
                             "VALUES (:org_id, :user_id, :role, :created_at, :seq)"),
                     list(members.values()))
    for dropped, kept in merged.items():
        conn.execute(sa.text("UPDATE api_keys SET user_id = :kept WHERE user_id = :dropped"),
                     {"kept": kept, "dropped": dropped})
        conn.execute(sa.text("DELETE FROM users WHERE user_id = :dropped"), {"dropped": dropped})
    for email, user_id in person.items():
        conn.execute(sa.text("UPDATE users SET email = :email WHERE user_id = :user_id"),
                     {"email": email, "user_id": user_id})
    op.drop_index("ix_users_org_id", table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_org_email", type_="unique")
        batch.drop_column("org_id")
        batch.drop_column("role")
        batch.add_column(sa.Column("password_hash", sa.Text))
        batch.add_column(sa.Column("external_subject", sa.String(700)))
        batch.create_unique_constraint("uq_users_email", ["email"])
        batch.create_unique_constraint("uq_users_external_subject", ["external_subject"])

    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("scopes")
        batch.add_column(sa.Column("role", sa.String(16), nullable=False,
                                   server_default="owner"))
        batch.add_column(sa.Column("environments", sa.JSON))
        batch.add_column(sa.Column("expires_at", TS))
        batch.add_column(sa.Column("last_used_at", TS))
        batch.add_column(sa.Column("hash_scheme", sa.String(16), nullable=False,
                                   server_default="sha256"))
        batch.add_column(sa.Column("seq", sa.BigInteger, nullable=False, server_default="0"))
    keys = conn.execute(sa.text("SELECT key_id FROM api_keys ORDER BY created_at, key_id"))
    for seq, (key_id,) in enumerate(keys.all(), start=1):
        conn.execute(sa.text("UPDATE api_keys SET seq = :seq WHERE key_id = :key_id"),
                     {"seq": seq, "key_id": key_id})
    with op.batch_alter_table("api_keys") as batch:  # defaults were for existing rows only
        batch.alter_column("role", server_default=None)
        batch.alter_column("hash_scheme", server_default=None)
        batch.alter_column("seq", server_default=None)
    op.create_index("ix_api_keys_org_seq", "api_keys", ["org_id", "seq"])


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_index("ix_api_keys_org_seq", table_name="api_keys")
    with op.batch_alter_table("api_keys") as batch:
        for column in ("role", "environments", "expires_at", "last_used_at", "hash_scheme",
                       "seq"):
            batch.drop_column(column)
        batch.add_column(sa.Column("scopes", sa.JSON, nullable=False, server_default='["admin"]'))
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_external_subject", type_="unique")
        batch.drop_constraint("uq_users_email", type_="unique")
        batch.drop_column("password_hash")
        batch.drop_column("external_subject")
        batch.add_column(sa.Column("org_id", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("role", sa.String(32), nullable=False, server_default="admin"))
    first = conn.execute(sa.text("SELECT user_id, org_id, role FROM memberships "
                                 "ORDER BY seq")).all()
    seen = set()
    for user_id, org_id, role in first:
        if user_id in seen:
            continue
        seen.add(user_id)
        conn.execute(sa.text("UPDATE users SET org_id = :org_id, role = :role "
                             "WHERE user_id = :user_id"),
                     {"org_id": org_id, "role": "admin" if role == "owner" else role,
                      "user_id": user_id})
    with op.batch_alter_table("users") as batch:
        batch.create_unique_constraint("uq_users_org_email", ["org_id", "email"])
    op.create_index("ix_users_org_id", "users", ["org_id"])
    op.drop_index("ix_memberships_org_seq", table_name="memberships")
    op.drop_index("ix_memberships_user", table_name="memberships")
    op.drop_table("memberships")
