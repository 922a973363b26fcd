"""Migration 0008 on SQLite and PostgreSQL: users of the one-org model become people
with memberships (same email in two orgs: one person, two memberships; their keys
follow), old keys become owners with their legacy hash, and the bootstrap key still
authenticates after the upgrade."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from dagy.adapters.sql.migrate import alembic_config, upgrade
from dagy.adapters.sql.uow import SqlUnitOfWork
from dagy.application.use_cases.accounts import authenticate
from dagy.domain.permissions import Role
from dagy.domain.tenancy import hash_secret
from dagy.entrypoints.wiring import build_deps

PEPPER = b"pepper-" * 6
SECRET = "old-secret-Zm9vYmFy"


def _before_0008(engine: sa.Engine) -> None:
    upgrade(engine, "0007")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO organizations (org_id, name) VALUES ('oa', 'a'), "
                             "('ob', 'b')"))
        conn.execute(sa.text(
            "INSERT INTO users (user_id, org_id, email, role, created_at) VALUES "
            "('u1', 'oa', 'Ada@Example.com', 'admin', '2026-01-01T00:00:00+00:00'), "
            "('u2', 'ob', 'ada@example.com', 'member', '2026-01-02T00:00:00+00:00'), "
            "('u3', 'ob', 'bob@example.com', 'admin', '2026-01-03T00:00:00+00:00')"))
        conn.execute(sa.text(
            "INSERT INTO api_keys (key_id, org_id, user_id, prefix, secret_hash, name, scopes, "
            "revoked, created_at) VALUES (:k, :o, :u, :p, :h, 'k', '[\"admin\"]', :r, :t)"),
            [{"k": "k1", "o": "oa", "u": "u1", "p": "aaaaaaaaaaaa", "h": hash_secret(SECRET),
              "r": False, "t": "2026-01-01T00:00:00+00:00"},
             {"k": "k2", "o": "ob", "u": "u2", "p": "bbbbbbbbbbbb", "h": hash_secret("x"),
              "r": True, "t": "2026-01-02T00:00:00+00:00"}])


def test_0008_turns_users_into_people_with_memberships_and_keys_keep_working(sql_engine):
    _before_0008(sql_engine)
    upgrade(sql_engine)
    deps = build_deps(uow=lambda: SqlUnitOfWork(sql_engine), api_key_pepper=PEPPER)
    with deps.uow() as uow:
        ada = uow.users.get_by_email("ada@example.com")
        assert ada.user_id == "u1" and uow.users.get("u2") is None
        assert [(m.org_id, m.role) for m in uow.memberships.for_user("u1")] == [
            ("oa", Role.OWNER), ("ob", Role.DEVELOPER)]
        assert uow.memberships.get("ob", "u3").role is Role.OWNER
        k2 = uow.api_keys.get("ob", "k2")
        assert k2.user_id == "u1" and k2.revoked and k2.hash_scheme == "sha256"
        assert [k.key_id for k in uow.api_keys.list("oa")[0]] == ["k1"]
    principal = authenticate(deps, f"dagy_aaaaaaaaaaaa_{SECRET}")
    assert (principal.org_id, principal.role, principal.key_id) == ("oa", Role.OWNER, "k1")
    with deps.uow() as uow:  # the first use re-hashed it with the pepper
        k1 = uow.api_keys.get("oa", "k1")
        assert k1.hash_scheme == "hmac-sha256" and k1.secret_hash != hash_secret(SECRET)
        assert k1.last_used_at is not None
    assert authenticate(deps, f"dagy_aaaaaaaaaaaa_{SECRET}").key_id == "k1"


def test_0008_downgrades_to_one_org_per_person(sql_engine):
    _before_0008(sql_engine)
    upgrade(sql_engine)
    with sql_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0007")
    with sql_engine.connect() as conn:
        users = conn.execute(sa.text("SELECT user_id, org_id, role FROM users "
                                     "ORDER BY user_id")).all()
        scopes = conn.execute(sa.text("SELECT scopes FROM api_keys")).scalars().all()
    assert [tuple(u) for u in users] == [("u1", "oa", "admin"), ("u3", "ob", "admin")]
    assert len(scopes) == 2
    upgrade(sql_engine)  # and up again
