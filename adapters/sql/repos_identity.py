"""SQL repositories for tenancy: organizations, people, memberships, API keys."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update

from dagy.adapters.sql.rows import SequencedRepository, SqlRepository, from_row, to_row
from dagy.adapters.sql.tables import api_keys, memberships, organizations, users
from dagy.domain.errors import NotFoundError
from dagy.domain.permissions import Role
from dagy.domain.tenancy import ApiKey, Membership, Organization, User


class SqlOrgRepository(SqlRepository):
    def add(self, org: Organization) -> None:
        self._guarded(organizations.insert(), to_row(org, organizations),
                      f"organization {org.org_id!r} / {org.name!r}")

    def get(self, org_id: str) -> Organization | None:
        return self._one(organizations.c.org_id == org_id)

    def get_by_name(self, name: str) -> Organization | None:
        return self._one(organizations.c.name == name)

    def _one(self, where: Any) -> Organization | None:
        row = self._run(select(organizations).where(where)).first()
        return from_row(Organization, row) if row else None


class SqlUserRepository(SqlRepository):
    def add(self, user: User) -> None:
        self._guarded(users.insert(), to_row(user, users), f"user {user.user_id!r} / {user.email!r}")

    def get(self, user_id: str) -> User | None:
        return self._one(users.c.user_id == user_id)

    def get_by_email(self, email: str) -> User | None:
        return self._one(users.c.email == email)

    def get_by_external_subject(self, subject: str) -> User | None:
        return self._one(users.c.external_subject == subject)  # its unique index

    def update(self, user: User) -> None:
        row = to_row(user, users)
        done = self._guarded(update(users).where(users.c.user_id == user.user_id).values(row),
                             what=f"user {user.user_id!r}")
        if done.rowcount == 0:
            raise NotFoundError(f"user {user.user_id!r} not found")

    def _one(self, where: Any) -> User | None:
        row = self._run(select(users).where(where)).first()
        return from_row(User, row) if row else None


def _membership(row: Any) -> Membership:
    return from_row(Membership, row, role=Role(row.role))


class SqlMembershipRepository(SequencedRepository):
    def add(self, membership: Membership) -> None:
        row = to_row(membership, memberships, seq=self._sequence.next())
        self._guarded(memberships.insert(), row,
                      f"membership of {membership.user_id!r} in {membership.org_id!r}")

    def get(self, org_id: str, user_id: str) -> Membership | None:
        row = self._run(select(memberships).where(memberships.c.org_id == org_id,
                                                  memberships.c.user_id == user_id)).first()
        return _membership(row) if row else None

    def for_user(self, user_id: str) -> list[Membership]:
        c = memberships.c
        rows = self._run(select(memberships).where(c.user_id == user_id).order_by(c.seq)).all()
        return [_membership(row) for row in rows]

    def list(self, org_id: str, *, limit: int = 50,
             cursor: str | None = None) -> tuple[list[Membership], str | None]:
        c = memberships.c
        query = select(memberships).where(c.org_id == org_id)
        return self._keyset_page(query, c.seq, cursor, limit, _membership)

    def set_role(self, org_id: str, user_id: str, role: Role) -> bool:
        c = memberships.c
        done = self._run(update(memberships).where(c.org_id == org_id, c.user_id == user_id)
                         .values(role=Role(role).value))
        return done.rowcount > 0

    def delete(self, org_id: str, user_id: str) -> bool:
        c = memberships.c
        return self._run(delete(memberships).where(c.org_id == org_id,
                                                   c.user_id == user_id)).rowcount > 0

    def count_role(self, org_id: str, role: Role) -> int:
        c = memberships.c
        return self._run(select(func.count()).select_from(memberships)
                         .where(c.org_id == org_id, c.role == Role(role).value)).scalar_one()

    def lock_owners(self, org_id: str) -> list[str]:
        c = memberships.c  # FOR UPDATE: PostgreSQL locks the rows; SQLite writes one at a time
        rows = self._run(select(c.user_id).where(c.org_id == org_id,
                                                 c.role == Role.OWNER.value)
                         .order_by(c.seq).with_for_update()).all()
        return [row.user_id for row in rows]


def _key(row: Any) -> ApiKey:
    return from_row(ApiKey, row, role=Role(row.role))


class SqlApiKeyRepository(SequencedRepository):
    def add(self, key: ApiKey) -> None:
        self._guarded(api_keys.insert(), to_row(key, api_keys, seq=self._sequence.next()),
                      f"API key {key.key_id!r} / prefix {key.prefix!r}")

    def get_by_prefix(self, prefix: str) -> ApiKey | None:
        row = self._run(select(api_keys).where(api_keys.c.prefix == prefix)).first()
        return _key(row) if row else None

    def get(self, org_id: str, key_id: str) -> ApiKey | None:
        row = self._run(select(api_keys).where(api_keys.c.org_id == org_id,
                                               api_keys.c.key_id == key_id)).first()
        return _key(row) if row else None

    def list(self, org_id: str, *, limit: int = 50,
             cursor: str | None = None) -> tuple[list[ApiKey], str | None]:
        c = api_keys.c
        query = select(api_keys).where(c.org_id == org_id)
        return self._keyset_page(query, c.seq, cursor, limit, _key, newest_first=True)

    def update(self, key: ApiKey) -> None:
        row = to_row(key, api_keys)
        for fixed in ("key_id", "org_id", "prefix", "created_at", "seq", "user_id"):
            row.pop(fixed, None)
        c = api_keys.c
        done = self._run(update(api_keys).where(c.key_id == key.key_id, c.org_id == key.org_id)
                         .values(row))
        if done.rowcount == 0:
            raise NotFoundError(f"API key {key.key_id!r} not found")
