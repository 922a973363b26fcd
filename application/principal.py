"""Who is calling a use case: the tenant it acts in, and what it may do.

Its own module (not part of Deps) because it travels with every call, while Deps is
wired once per process by the composition root.
"""

from __future__ import annotations

from dataclasses import dataclass

from dagy.domain.permissions import Role


@dataclass(frozen=True)
class Principal:
    """Who is calling: every use case acts inside `org_id`, with `role`'s permissions.

    The control plane's own callers (the scheduler tick, sensors, the consumer) act as
    the org's owner; people and API keys carry the role their membership or key gives.
    `environments` (None: all) are the environments an API key may act in."""

    org_id: str
    user_id: str | None = None
    role: Role = Role.OWNER
    key_id: str | None = None
    environments: tuple[str, ...] | None = None
    # how a person authenticated ("access_token", "jwt"; an API key has key_id instead)
    # and that credential's id (an access token's: what logout revokes)
    credential_kind: str | None = None
    credential_id: str | None = None
    # where the request came from, as the audit log records it (None outside HTTP)
    ip: str | None = None
    request_id: str | None = None

    @property
    def actor(self) -> str:
        """How the audit log names the caller."""
        if self.key_id:
            return f"key:{self.key_id}"
        return f"user:{self.user_id}" if self.user_id else "system"
