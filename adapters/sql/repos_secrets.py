"""SQL store of encrypted secrets (table secrets; org-wide rows have environment '')."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, or_, select, update

from dagy.adapters.sql.rows import SequencedRepository, from_row, to_row
from dagy.adapters.sql.tables import secrets
from dagy.adapters.values import check_limit
from dagy.domain.errors import NotFoundError
from dagy.domain.secrets import Secret

_C = secrets.c


class SqlSecretRepository(SequencedRepository):
    def add(self, secret: Secret) -> None:
        row = to_row(secret, secrets, seq=self._sequence.next(),
                     environment=secret.environment or "")
        self._guarded(secrets.insert(), row, f"secret {secret.secret_name!r}")

    def get(self, org_id: str, environment: str | None, name: str) -> Secret | None:
        row = self._run(select(secrets).where(_key(org_id, environment, name))).first()
        return _secret(row) if row else None

    def update(self, secret: Secret) -> None:
        result = self._run(
            update(secrets).where(_key(secret.org_id, secret.environment, secret.secret_name))
            .values(encrypted_value=secret.encrypted_value, key_id=secret.key_id,
                    updated_by=secret.updated_by,
                    updated_at=to_row(secret, secrets)["updated_at"]), what="secret update")
        if result.rowcount != 1:
            raise NotFoundError(f"no secret {secret.secret_name!r}")

    def delete(self, org_id: str, environment: str | None, name: str) -> bool:
        return self._run(delete(secrets).where(_key(org_id, environment, name))).rowcount == 1

    def list(self, org_id: str, *, environment: str | None = None, org_wide: bool = False,
             limit: int = 50, cursor: str | None = None) -> tuple[list[Secret], str | None]:
        query = select(secrets).where(_C.org_id == org_id)
        if environment is not None:
            query = query.where(_C.environment == environment)
        if org_wide:
            query = query.where(_C.environment == "")
        return self._keyset_page(query, _C.seq, cursor, limit, _secret)

    def under_other_keys(self, key_id: str, *, limit: int,
                         after: tuple[str, str, str] | None = None) -> list[Secret]:
        org, env, name = (self._ordered(_C.org_id), self._ordered(_C.environment),
                          self._ordered(_C.secret_name))
        query = select(secrets).where(_C.key_id != key_id)
        if after is not None:
            a_org, a_env, a_name = after
            query = query.where(or_(org > a_org, and_(org == a_org, env > a_env),
                                    and_(org == a_org, env == a_env, name > a_name)))
        rows = self._run(query.order_by(org, env, name).limit(check_limit(limit))).all()
        return [_secret(r) for r in rows]

    def replace_ciphertext(self, secret: Secret, new_ciphertext: str, new_key_id: str) -> bool:
        done = self._run(
            update(secrets).where(_key(secret.org_id, secret.environment, secret.secret_name),
                                  _C.encrypted_value == secret.encrypted_value)
            .values(encrypted_value=new_ciphertext, key_id=new_key_id), what="secret rotation")
        return done.rowcount == 1


def _key(org_id: str, environment: str | None, name: str) -> Any:
    return and_(_C.org_id == org_id, _C.environment == (environment or ""),
                _C.secret_name == name)


def _secret(row: Any) -> Secret:
    return from_row(Secret, row, environment=row.environment or None)
