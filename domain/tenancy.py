"""Organizations, people and their memberships, and API keys. Every user-facing row
belongs to one org; a person belongs to orgs through memberships, each with a role.

API keys are service accounts of one org: a role (never above their creator's), optional
environments they may act in, an optional expiry. Only a keyed hash of the secret is
stored (HMAC-SHA256 with the server's pepper), so a stolen database alone cannot confirm
a guessed key; keys made before the pepper existed carry the plain SHA-256
(`hash_scheme` "sha256") until their first use upgrades them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from dagy.domain.errors import DagyError, ValidationError
from dagy.domain.permissions import Role

KEY_PREFIX = "dagy"
KEYED = "hmac-sha256"
LEGACY = "sha256"
MAX_EMAIL_CHARS = 320


class AuthenticationError(DagyError):
    """The caller's credentials are missing, malformed, unknown, expired or revoked."""


@dataclass
class Organization:
    org_id: str
    name: str
    created_at: datetime | None = None


@dataclass
class User:
    """A person. `email` is unique across the control plane (lower-cased);
    `external_subject` ("<issuer>|<sub>") links an identity provider's account."""

    user_id: str
    email: str
    created_at: datetime | None = None
    password_hash: str | None = None
    external_subject: str | None = None


@dataclass
class Membership:
    org_id: str
    user_id: str
    role: Role
    created_at: datetime | None = None


@dataclass
class ApiKey:
    """Stored form of an API key: the public prefix and the keyed hash of the secret."""

    key_id: str
    org_id: str
    user_id: str  # who created it
    prefix: str
    secret_hash: str
    name: str = "default"
    created_at: datetime | None = None
    revoked: bool = False
    role: Role = Role.OWNER
    environments: list[str] | None = None  # None: every environment
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
    hash_scheme: str = KEYED

    def usable_at(self, now: datetime) -> bool:
        return not self.revoked and (self.expires_at is None or now < self.expires_at)


def normalize_email(email: str) -> str:
    """The stored form of an email address; ValidationError if it is not one."""
    text = email.strip().lower() if isinstance(email, str) else ""
    local, _, domain = text.partition("@")
    if (not local or not domain or len(text) > MAX_EMAIL_CHARS or any(c.isspace() for c in text)
            or "@" in domain):
        raise ValidationError(f"not an email address: {email!r}")
    return text


def hash_secret(secret: str) -> str:
    """Plain SHA-256 hex: the stored form of webhook tokens (random 256-bit values, so a
    pepper adds nothing) and of API keys made before the pepper."""
    return hashlib.sha256(secret.encode()).hexdigest()


def keyed_hash(secret: str, pepper: bytes) -> str:
    return hmac.new(pepper, secret.encode(), hashlib.sha256).hexdigest()


def new_api_key(key_id: str, org_id: str, user_id: str, name: str = "default",
                created_at: datetime | None = None, *, pepper: bytes, role: Role = Role.OWNER,
                environments: list[str] | None = None,
                expires_at: datetime | None = None) -> tuple[ApiKey, str]:
    """Return (stored key, plaintext `dagy_<prefix>_<secret>`); the plaintext is shown once."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(key_id, org_id, user_id, prefix, keyed_hash(secret, pepper), name, created_at,
                 role=role, environments=environments, expires_at=expires_at)
    return key, f"{KEY_PREFIX}_{prefix}_{secret}"


def split_api_key(plaintext: str) -> tuple[str, str]:
    """(prefix, secret) of a presented key, or AuthenticationError if it is not one."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        raise AuthenticationError("malformed API key")
    return parts[1], parts[2]


def secret_matches(key: ApiKey, secret: str, pepper: bytes) -> bool:
    """Constant-time comparison of the presented secret with the stored hash."""
    expected = (hash_secret(secret) if key.hash_scheme == LEGACY
                else keyed_hash(secret, pepper))
    return hmac.compare_digest(key.secret_hash, expected)
