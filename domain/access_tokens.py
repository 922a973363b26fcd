"""People's tokens: a short-lived access token and a long-lived refresh token per login.

Both are opaque random strings with a prefix that says what they are
(`dagyat_<id>_<secret>` access, `dagyrt_<id>_<secret>` refresh), so a leaked one is easy
to recognise (secret scanners, logs) and the dispatch in the API needs no lookup to tell
it from an API key (`dagy_...`) or a JWT. Only the keyed hash of the secret is stored
(HMAC-SHA256 with the server's pepper, as API keys are), compared in constant time.

A login starts a *family*; each refresh issues a new pair into the same family and marks
the refresh token used. Presenting a used refresh token again means two parties hold it
(the OAuth 2.1 refresh-token rotation rule): the whole family is revoked.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from dagy.domain.tenancy import AuthenticationError, keyed_hash

ACCESS = "access"
REFRESH = "refresh"
PREFIXES = {ACCESS: "dagyat", REFRESH: "dagyrt"}
MAX_TOKEN_CHARS = 300


@dataclass
class AccessToken:
    """The stored form of one access or refresh token (never its secret)."""

    token_id: str
    kind: str  # ACCESS | REFRESH
    user_id: str
    family_id: str
    secret_hash: str
    created_at: datetime
    expires_at: datetime
    revoked: bool = False
    used_at: datetime | None = None  # a refresh token: when it was exchanged

    def usable_at(self, now: datetime) -> bool:
        return not self.revoked and self.used_at is None and now < self.expires_at


@dataclass(frozen=True)
class TokenPair:
    """What a login or a refresh answers: both plaintexts (shown once) and lifetimes."""

    access_token: str
    refresh_token: str
    access: AccessToken
    refresh: AccessToken

    def expires_in(self, now: datetime) -> int:
        return max(0, int((self.access.expires_at - now).total_seconds()))

    def refresh_expires_in(self, now: datetime) -> int:
        return max(0, int((self.refresh.expires_at - now).total_seconds()))


def new_token(kind: str, token_id: str, user_id: str, family_id: str, now: datetime,
              ttl: timedelta, *, pepper: bytes) -> tuple[AccessToken, str]:
    """(stored token, plaintext `<prefix>_<id>_<secret>`)."""
    secret = secrets.token_urlsafe(32)
    token = AccessToken(token_id, kind, user_id, family_id, keyed_hash(secret, pepper), now,
                        now + ttl)
    return token, f"{PREFIXES[kind]}_{token_id}_{secret}"


def token_kind(presented: str) -> str | None:
    """ACCESS or REFRESH when `presented` carries that prefix, else None."""
    for kind, prefix in PREFIXES.items():
        if presented.startswith(prefix + "_"):
            return kind
    return None


def split_token(presented: str, kind: str) -> tuple[str, str]:
    """(token id, secret) of a presented token of `kind`; AuthenticationError if it is not
    one (wrong prefix, shape or length)."""
    name = "access" if kind == ACCESS else "refresh"
    if not isinstance(presented, str) or len(presented) > MAX_TOKEN_CHARS:
        raise AuthenticationError(f"malformed {name} token")
    parts = presented.split("_", 2)
    if (len(parts) != 3 or parts[0] != PREFIXES[kind] or not parts[1] or not parts[2]
            or not parts[1].isalnum()):
        raise AuthenticationError(f"malformed {name} token")
    return parts[1], parts[2]


def token_matches(token: AccessToken, secret: str, pepper: bytes) -> bool:
    """Constant-time comparison of a presented secret with the stored keyed hash."""
    return hmac.compare_digest(token.secret_hash, keyed_hash(secret, pepper))
