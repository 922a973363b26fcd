"""An IdentityTokenVerifier that knows the tokens it issued: an identity provider in a
test or a local run, with no keys, clock or network.

`issue(identity)` answers a JWT-shaped opaque string (three dot-separated parts, as
the API's Bearer dispatch expects); `verify` answers that identity for exactly that
string and raises AuthenticationError (or `failure`, to play a provider that is down)
for anything else, as the port says.
"""

from __future__ import annotations

import secrets
import threading

from dagy.application.ports.identity_tokens import ExternalIdentity
from dagy.domain.tenancy import AuthenticationError


class InMemoryIdentityTokens:
    def __init__(self) -> None:
        self._issued: dict[str, ExternalIdentity] = {}
        self._lock = threading.Lock()
        self.failure: Exception | None = None  # raised by verify while set

    def issue(self, identity: ExternalIdentity) -> str:
        token = ".".join(secrets.token_urlsafe(12) for _ in range(3))
        with self._lock:
            self._issued[token] = identity
        return token

    def verify(self, token: str) -> ExternalIdentity:
        if self.failure is not None:
            raise self.failure
        with self._lock:
            identity = self._issued.get(token)
        if identity is None:
            raise AuthenticationError("invalid token: signature or claims do not verify")
        return identity
