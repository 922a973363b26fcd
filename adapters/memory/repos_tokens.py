"""In-memory store of people's access and refresh tokens (the same semantics as
adapters/sql/repos_tokens.py)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Callable

from dagy.adapters.memory.store import Repo, copy_of, stored_copy
from dagy.adapters.values import utc
from dagy.domain.access_tokens import AccessToken


class InMemoryAccessTokenRepository(Repo):
    def add(self, token: AccessToken) -> None:
        self._conflict_if(self._tx.get("access_tokens", token.token_id) is not None,
                          f"token {token.token_id!r}")
        self._tx.put("access_tokens", token.token_id, stored_copy(token))

    def get(self, token_id: str) -> AccessToken | None:
        return copy_of(self._tx.get("access_tokens", token_id))

    def mark_used(self, token_id: str, when: datetime) -> bool:
        token = self._tx.get("access_tokens", token_id)
        if token is None or token.revoked or token.used_at is not None:
            return False
        self._tx.put("access_tokens", token_id, dataclasses.replace(token, used_at=utc(when)))
        return True

    def revoke(self, token_id: str) -> int:
        return self._revoke_where(lambda t: t.token_id == token_id)

    def revoke_family(self, family_id: str) -> int:
        return self._revoke_where(lambda t: t.family_id == family_id)

    def revoke_user(self, user_id: str, *, keep_family: str | None = None) -> int:
        return self._revoke_where(lambda t: t.user_id == user_id and t.family_id != keep_family)

    def purge_expired(self, user_id: str, before: datetime) -> int:
        gone = [t for t in self._tx.rows("access_tokens")
                if t.user_id == user_id and t.expires_at < utc(before)]
        for token in gone:
            self._tx.delete("access_tokens", token.token_id)
        return len(gone)

    def _revoke_where(self, chosen: Callable[[AccessToken], bool]) -> int:
        changed = [t for t in self._tx.rows("access_tokens") if chosen(t) and not t.revoked]
        for token in changed:
            self._tx.put("access_tokens", token.token_id, dataclasses.replace(token, revoked=True))
        return len(changed)
