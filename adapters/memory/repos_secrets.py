"""In-memory secrets, with the SQL adapter's semantics (tests/contract holds both)."""

from __future__ import annotations

from dagy.adapters.memory.store import Repo, Tx, copy_of, keyset_page, stored_copy
from dagy.adapters.values import check_limit, decode_cursor, encode_cursor
from dagy.domain.errors import NotFoundError
from dagy.domain.secrets import Secret

TABLE = "secrets"


def _key(org_id: str, environment: str | None, name: str) -> tuple[str, str, str]:
    return (org_id, environment or "", name)


class InMemorySecretRepository(Repo):
    """Rows are (seq, Secret) keyed by (org_id, environment or '', secret_name)."""

    def __init__(self, tx: Tx) -> None:
        super().__init__(tx)
        tx.tables.setdefault(TABLE, {})  # a table the store did not create: added on first use

    def add(self, secret: Secret) -> None:
        key = _key(secret.org_id, secret.environment, secret.secret_name)
        self._conflict_if(self._tx.get(TABLE, key) is not None,
                          f"secret {secret.secret_name!r}")
        self._tx.put(TABLE, key, (self._tx.sequence.next(), stored_copy(secret)))

    def get(self, org_id: str, environment: str | None, name: str) -> Secret | None:
        row = self._tx.get(TABLE, _key(org_id, environment, name))
        return copy_of(row[1]) if row else None

    def update(self, secret: Secret) -> None:
        key = _key(secret.org_id, secret.environment, secret.secret_name)
        row = self._tx.get(TABLE, key)
        if row is None:
            raise NotFoundError(f"no secret {secret.secret_name!r}")
        new = copy_of(row[1])
        new.encrypted_value, new.key_id = secret.encrypted_value, secret.key_id
        new.updated_by, new.updated_at = secret.updated_by, secret.updated_at
        self._tx.put(TABLE, key, (row[0], stored_copy(new)))

    def delete(self, org_id: str, environment: str | None, name: str) -> bool:
        key = _key(org_id, environment, name)
        if self._tx.get(TABLE, key) is None:
            return False
        self._tx.delete(TABLE, key)
        return True

    def list(self, org_id: str, *, environment: str | None = None, org_wide: bool = False,
             limit: int = 50, cursor: str | None = None) -> tuple[list[Secret], str | None]:
        check_limit(limit)
        after = decode_cursor(cursor, int)
        rows = [row for row in self._tx.rows(TABLE) if row[1].org_id == org_id
                and (environment is None or row[1].environment == environment)
                and (not org_wide or row[1].environment is None)]
        page, last = keyset_page(rows, lambda row: (row[0],), limit, after)
        return [copy_of(s) for _, s in page], encode_cursor(list(last)) if last else None

    def under_other_keys(self, key_id: str, *, limit: int,
                         after: tuple[str, str, str] | None = None) -> list[Secret]:
        check_limit(limit)
        found = sorted((_key(s.org_id, s.environment, s.secret_name), s)
                       for _, s in self._tx.rows(TABLE) if s.key_id != key_id)
        return [copy_of(s) for key, s in found if after is None or key > tuple(after)][:limit]

    def replace_ciphertext(self, secret: Secret, new_ciphertext: str, new_key_id: str) -> bool:
        key = _key(secret.org_id, secret.environment, secret.secret_name)
        row = self._tx.get(TABLE, key)
        if row is None or row[1].encrypted_value != secret.encrypted_value:
            return False
        new = copy_of(row[1])
        new.encrypted_value, new.key_id = new_ciphertext, new_key_id
        self._tx.put(TABLE, key, (row[0], new))
        return True
