"""Organizations, users and API keys. Every user-facing row belongs to one org."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from dagy.domain.errors import DagyError

KEY_PREFIX = "dagy"


class AuthenticationError(DagyError):
    """The caller's credentials are missing, malformed, unknown or revoked."""


@dataclass
class Organization:
    org_id: str
    name: str
    created_at: datetime | None = None


@dataclass
class User:
    user_id: str
    org_id: str
    email: str
    role: str = "admin"
    created_at: datetime | None = None


@dataclass
class ApiKey:
    """Stored form of an API key: the public prefix and the SHA-256 of the secret."""

    key_id: str
    org_id: str
    user_id: str
    prefix: str
    secret_hash: str
    name: str = "default"
    created_at: datetime | None = None
    revoked: bool = False
    scopes: list[str] = field(default_factory=lambda: ["admin"])


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_api_key(key_id: str, org_id: str, user_id: str, name: str = "default",
                created_at: datetime | None = None) -> tuple[ApiKey, str]:
    """Return (stored key, plaintext `dagy_<prefix>_<secret>`); the plaintext is shown once."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(key_id, org_id, user_id, prefix, hash_secret(secret), name, created_at)
    return key, f"{KEY_PREFIX}_{prefix}_{secret}"


def split_api_key(plaintext: str) -> tuple[str, str]:
    """(prefix, secret) of a presented key, or AuthenticationError if it is not one."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        raise AuthenticationError("malformed API key")
    return parts[1], parts[2]


def secret_matches(key: ApiKey, secret: str) -> bool:
    """Constant-time comparison of the presented secret with the stored hash."""
    return hmac.compare_digest(key.secret_hash, hash_secret(secret))
