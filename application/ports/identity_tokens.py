"""Port: verifying tokens an identity provider issued to people (JWT, `jwt_required`).

Contract (tests/contract/test_identity_token_verifier_contract.py):

- `verify(token)` answers the token's ExternalIdentity only when its signature checks
  against the provider's published keys with one of the pinned algorithms, its issuer
  and audience are the configured ones, and it is within `exp`/`nbf` (a small leeway).
- Anything else raises dagy.domain.tenancy.AuthenticationError with a short reason that
  never echoes the token: alg `none`, an HMAC token signed with the public key, a wrong
  issuer or audience, an expired or not-yet-valid token, an unknown key id, a payload
  changed after signing, a malformed or oversized token.
- An unknown key id may refresh the provider's key set, at most once per cooldown, so a
  stream of forged key ids cannot turn into a stream of requests to the provider.
- A key set that cannot be fetched raises dagy.domain.errors.UnavailableError (503:
  nothing is wrong with the token; retry later), never an unexpected exception.
- It may do I/O (fetching the key set): call it from a worker thread, not an event loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class ExternalIdentity:
    """Who the provider says the token's holder is: `subject` (`sub`) is unique within
    `issuer`; `email_verified` is None when the token does not say."""

    issuer: str
    subject: str
    email: str | None
    claims: dict[str, Any] = field(default_factory=dict, compare=False)
    email_verified: bool | None = None

    @property
    def external_subject(self) -> str:
        """How a User stores the link to this account: "<issuer>|<sub>"."""
        return f"{self.issuer}|{self.subject}"


class IdentityTokenVerifier(Protocol):
    def verify(self, token: str) -> ExternalIdentity: ...
