"""In-memory repositories for tenancy: organizations, people, memberships, API keys
(the same semantics as adapters/sql/repos_identity.py)."""

from __future__ import annotations

from dagy.adapters.memory.store import Repo, copy_of, keyset_page, stored_copy
from dagy.adapters.values import decode_cursor, encode_cursor
from dagy.domain.errors import NotFoundError
from dagy.domain.permissions import Role
from dagy.domain.tenancy import ApiKey, Membership, Organization, User


class InMemoryOrgRepository(Repo):
    def add(self, org: Organization) -> None:
        org = stored_copy(org)
        self._conflict_if(self._tx.get("orgs", org.org_id) is not None
                          or self._tx.get("org_names", org.name) is not None,
                          f"organization {org.org_id!r} / {org.name!r}")
        self._tx.put("orgs", org.org_id, org)
        self._tx.put("org_names", org.name, org.org_id)

    def get(self, org_id: str) -> Organization | None:
        return copy_of(self._tx.get("orgs", org_id))

    def get_by_name(self, name: str) -> Organization | None:
        org_id = self._tx.get("org_names", name)
        return self.get(org_id) if org_id is not None else None


class InMemoryUserRepository(Repo):
    def add(self, user: User) -> None:
        user = stored_copy(user)
        self._conflict_if(self._tx.get("users", user.user_id) is not None
                          or self._tx.get("user_emails", user.email) is not None
                          or self._subject_taken(user),
                          f"user {user.user_id!r} / {user.email!r}")
        self._put(user)

    def get(self, user_id: str) -> User | None:
        return copy_of(self._tx.get("users", user_id))

    def get_by_email(self, email: str) -> User | None:
        user_id = self._tx.get("user_emails", email)
        return self.get(user_id) if user_id is not None else None

    def get_by_external_subject(self, subject: str) -> User | None:
        return copy_of(next((u for u in self._tx.rows("users")
                             if u.external_subject == subject), None))

    def update(self, user: User) -> None:
        current = self._tx.get("users", user.user_id)
        if current is None:
            raise NotFoundError(f"user {user.user_id!r} not found")
        owner = self._tx.get("user_emails", user.email)
        self._conflict_if((owner is not None and owner != user.user_id)
                          or self._subject_taken(user), f"user {user.email!r}")
        self._tx.delete("user_emails", current.email)
        self._put(stored_copy(user))

    def _subject_taken(self, user: User) -> bool:
        return user.external_subject is not None and any(
            u.external_subject == user.external_subject and u.user_id != user.user_id
            for u in self._tx.rows("users"))

    def _put(self, user: User) -> None:
        self._tx.put("users", user.user_id, user)
        self._tx.put("user_emails", user.email, user.user_id)


class InMemoryMembershipRepository(Repo):
    def add(self, membership: Membership) -> None:
        key = (membership.org_id, membership.user_id)
        self._conflict_if(self._tx.get("memberships", key) is not None,
                          f"membership of {membership.user_id!r} in {membership.org_id!r}")
        self._tx.put("memberships", key, (self._tx.sequence.next(), stored_copy(membership)))

    def get(self, org_id: str, user_id: str) -> Membership | None:
        row = self._tx.get("memberships", (org_id, user_id))
        return copy_of(row[1]) if row else None

    def for_user(self, user_id: str) -> list[Membership]:
        rows = sorted(r for r in self._rows() if r[1].user_id == user_id)
        return [copy_of(m) for _, m in rows]

    def list(self, org_id: str, *, limit: int = 50,
             cursor: str | None = None) -> tuple[list[Membership], str | None]:
        rows = [r for r in self._rows() if r[1].org_id == org_id]
        page, last = keyset_page(rows, lambda r: (r[0],), limit, decode_cursor(cursor, int))
        return [copy_of(m) for _, m in page], encode_cursor(list(last)) if last else None

    def set_role(self, org_id: str, user_id: str, role: Role) -> bool:
        row = self._tx.get("memberships", (org_id, user_id))
        if row is None:
            return False
        changed = copy_of(row[1])
        changed.role = Role(role)
        self._tx.put("memberships", (org_id, user_id), (row[0], changed))
        return True

    def delete(self, org_id: str, user_id: str) -> bool:
        if self._tx.get("memberships", (org_id, user_id)) is None:
            return False
        self._tx.delete("memberships", (org_id, user_id))
        return True

    def count_role(self, org_id: str, role: Role) -> int:
        return sum(1 for _, m in self._rows() if m.org_id == org_id and m.role == Role(role))

    def lock_owners(self, org_id: str) -> list[str]:  # the store's lock serializes already
        return [m.user_id for _, m in sorted(self._rows())
                if m.org_id == org_id and m.role == Role.OWNER]

    def _rows(self) -> list[tuple[int, Membership]]:
        return list(self._tx.rows("memberships"))


class InMemoryApiKeyRepository(Repo):
    def add(self, key: ApiKey) -> None:
        key = stored_copy(key)
        self._conflict_if(self._tx.get("api_keys", key.key_id) is not None
                          or self._tx.get("key_prefixes", key.prefix) is not None,
                          f"API key {key.key_id!r} / prefix {key.prefix!r}")
        self._tx.put("api_keys", key.key_id, (self._tx.sequence.next(), key))
        self._tx.put("key_prefixes", key.prefix, key.key_id)

    def get_by_prefix(self, prefix: str) -> ApiKey | None:
        key_id = self._tx.get("key_prefixes", prefix)
        row = self._tx.get("api_keys", key_id) if key_id is not None else None
        return copy_of(row[1]) if row else None

    def get(self, org_id: str, key_id: str) -> ApiKey | None:
        row = self._tx.get("api_keys", key_id)
        return copy_of(row[1]) if row and row[1].org_id == org_id else None

    def list(self, org_id: str, *, limit: int = 50,
             cursor: str | None = None) -> tuple[list[ApiKey], str | None]:
        rows = [r for r in self._tx.rows("api_keys") if r[1].org_id == org_id]
        page, last = keyset_page(rows, lambda r: (r[0],), limit, decode_cursor(cursor, int),
                                 newest_first=True)
        return [copy_of(k) for _, k in page], encode_cursor(list(last)) if last else None

    def update(self, key: ApiKey) -> None:
        row = self._tx.get("api_keys", key.key_id)
        if row is None or row[1].org_id != key.org_id:
            raise NotFoundError(f"API key {key.key_id!r} not found")
        stored, new = row[1], stored_copy(key)
        new.prefix, new.created_at, new.user_id = stored.prefix, stored.created_at, stored.user_id
        self._tx.put("api_keys", key.key_id, (row[0], new))
