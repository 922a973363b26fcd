"""SQL store of people's access and refresh tokens (table access_tokens)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from dagy.adapters.sql.rows import SqlRepository, from_row, to_row
from dagy.adapters.sql.tables import access_tokens
from dagy.adapters.values import utc
from dagy.domain.access_tokens import AccessToken

_C = access_tokens.c


class SqlAccessTokenRepository(SqlRepository):
    def add(self, token: AccessToken) -> None:
        self._guarded(access_tokens.insert(), to_row(token, access_tokens),
                      f"token {token.token_id!r}")

    def get(self, token_id: str) -> AccessToken | None:
        row = self._run(select(access_tokens).where(_C.token_id == token_id)).first()
        return from_row(AccessToken, row) if row else None

    def mark_used(self, token_id: str, when: datetime) -> bool:
        # compare-and-set: of two concurrent refreshes with one token, one updates a row
        done = self._run(update(access_tokens).where(
            _C.token_id == token_id, _C.used_at.is_(None), _C.revoked.is_(False))
            .values(used_at=utc(when)), what="token update")
        return done.rowcount == 1

    def revoke(self, token_id: str) -> int:
        return self._revoke(_C.token_id == token_id)

    def revoke_family(self, family_id: str) -> int:
        return self._revoke(_C.family_id == family_id)

    def revoke_user(self, user_id: str, *, keep_family: str | None = None) -> int:
        where = [_C.user_id == user_id]
        if keep_family is not None:
            where.append(_C.family_id != keep_family)
        return self._revoke(*where)

    def purge_expired(self, user_id: str, before: datetime) -> int:
        done = self._run(delete(access_tokens).where(_C.user_id == user_id,
                                                     _C.expires_at < utc(before)),
                         what="token purge")
        return done.rowcount

    def _revoke(self, *where: Any) -> int:
        done = self._run(update(access_tokens).where(*where, _C.revoked.is_(False))
                         .values(revoked=True), what="token revocation")
        return done.rowcount
