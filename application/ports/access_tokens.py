"""Port: people's access and refresh tokens (domain/access_tokens.py), by token id.

Contract (tests/contract/test_access_token_contract.py runs it on every adapter):

- `add` stores a token; a second token with the same id is a ConflictError.
- `get` returns the stored token (timestamps in UTC) or None.
- `mark_used(token_id, when)` is a compare-and-set: it sets `used_at` only on a token
  that is neither used nor revoked and returns whether it did, so of two concurrent
  refreshes with one refresh token exactly one wins.
- `revoke`, `revoke_family`, `revoke_user` set `revoked` and return how many tokens
  changed (already revoked ones are not counted); `revoke_user` spares the family
  `keep_family` (the session that changed the password).
- `purge_expired(user_id, before)` deletes the person's tokens that expired before
  `before` and returns how many, so the table holds live sessions only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from dagy.domain.access_tokens import AccessToken


class AccessTokenRepository(Protocol):
    def add(self, token: AccessToken) -> None: ...
    def get(self, token_id: str) -> AccessToken | None: ...
    def mark_used(self, token_id: str, when: datetime) -> bool: ...
    def revoke(self, token_id: str) -> int: ...
    def revoke_family(self, family_id: str) -> int: ...
    def revoke_user(self, user_id: str, *, keep_family: str | None = None) -> int: ...
    def purge_expired(self, user_id: str, before: datetime) -> int: ...
