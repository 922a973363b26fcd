"""Port: an org's encrypted secrets.

(org_id, environment, secret_name) is unique, `environment` None meaning org-wide (an
org-wide name is unique too: adapters store it as the empty scope). Lists are in
creation order (a replaced secret keeps its place). Rows hold ciphertexts only.
"""

from __future__ import annotations

from typing import Protocol

from dagy.domain.secrets import Secret


class SecretRepository(Protocol):
    def add(self, secret: Secret) -> None:
        """Insert; ConflictError if the org has a secret of that name in that scope."""

    def get(self, org_id: str, environment: str | None, name: str) -> Secret | None:
        """The secret of exactly that scope (None: org-wide), not a fallback."""

    def update(self, secret: Secret) -> None:
        """Replace ciphertext, key id, updated_by and updated_at; NotFoundError if none."""

    def delete(self, org_id: str, environment: str | None, name: str) -> bool:
        """False if there was no such secret."""

    def list(self, org_id: str, *, environment: str | None = None, org_wide: bool = False,
             limit: int = 50, cursor: str | None = None) -> tuple[list[Secret], str | None]:
        """A page of the org's secrets, oldest first, and the cursor of the next page.
        `environment` keeps only that environment's; `org_wide` only the org-wide ones;
        neither: every scope."""

    def under_other_keys(self, key_id: str, *, limit: int,
                         after: tuple[str, str, str] | None = None) -> list[Secret]:
        """Up to `limit` secrets of any org whose key id is not `key_id`, ordered by
        (org_id, environment or '', secret_name) and strictly after `after` in that order:
        the batches key rotation walks."""

    def replace_ciphertext(self, secret: Secret, new_ciphertext: str, new_key_id: str) -> bool:
        """Compare-and-set: store the new ciphertext only if the row still holds
        `secret.encrypted_value` (a concurrent PUT wins); True if it was replaced."""
