"""AES-256-GCM SecretCipher with a key id in every ciphertext.

A ciphertext is `dagy1.<key id>.<base64url(12-byte nonce + ciphertext + 16-byte tag)>`.
The key id is derived from the key itself (12 hex digits of a SHA-256), so nobody has
to name keys, and it is bound to the ciphertext as GCM's associated data: editing it
fails authentication like editing any other character. Old keys can be held for
decryption only (`retired_keys`), which is all that rotation needs from this adapter.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dagy.application.ports.crypto import SecretUnreadable
from dagy.domain.errors import ConfigurationError

VERSION = "dagy1"
KEY_BYTES = 32
NONCE_BYTES = 12
KEY_HELP = ("a server key is 32 random bytes in base64, e.g. the output of "
            "`python -c \"import base64, os; print(base64.urlsafe_b64encode(os.urandom(32))"
            ".decode())\"`")


def generate_key_text() -> str:
    """A new random key, as text (what DAGY_SECRET_KEY and the key file hold)."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def parse_key_text(text: str) -> bytes:
    """The 32 key bytes of a base64 (standard or URL-safe) key; ConfigurationError else."""
    raw = text.strip() if isinstance(text, str) else ""
    try:
        key = base64.b64decode(raw.replace("-", "+").replace("_", "/") + "=" * (-len(raw) % 4),
                               validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise ConfigurationError(f"the server key is not valid: {KEY_HELP}")
    return key


def key_id_of(key: bytes) -> str:
    return hashlib.sha256(b"dagy secret key id\x00" + key).hexdigest()[:12]


class AesGcmSecretCipher:
    """Encrypts under `key`; decrypts anything made under `key` or a `retired_keys` one."""

    def __init__(self, key: bytes, retired_keys: Iterable[bytes] = ()) -> None:
        keys = [key, *retired_keys]
        if any(not isinstance(k, bytes) or len(k) != KEY_BYTES for k in keys):
            raise ConfigurationError(f"AES-256-GCM keys are {KEY_BYTES} bytes")
        self._keys = {key_id_of(k): AESGCM(k) for k in reversed(keys)}
        self.current_key_id = key_id_of(key)

    @classmethod
    def from_text(cls, text: str) -> "AesGcmSecretCipher":
        return cls(parse_key_text(text))

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        data = plaintext.encode("utf-8", "surrogatepass")  # every str round-trips
        header = _header(self.current_key_id)
        sealed = self._keys[self.current_key_id].encrypt(nonce, data, header.encode("ascii"))
        body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")
        return f"{header}.{body}"

    def key_id(self, ciphertext: str) -> str:
        return _split(ciphertext)[0]

    def decrypt(self, ciphertext: str) -> str:
        key_id, blob = _split(ciphertext)
        aead = self._keys.get(key_id)
        if aead is None:
            raise SecretUnreadable(f"a stored secret was encrypted with key {key_id}, which "
                                   "this server does not hold (was DAGY_SECRET_KEY changed?)")
        try:
            plain = aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:],
                                 _header(key_id).encode("ascii"))
            return plain.decode("utf-8", "surrogatepass")
        except (InvalidTag, UnicodeDecodeError):
            raise SecretUnreadable(f"a stored secret (key {key_id}) failed authentication: "
                                   "it was altered") from None


def _header(key_id: str) -> str:
    return f"{VERSION}.{key_id}"


def _split(ciphertext: str) -> tuple[str, bytes]:
    """(key id, nonce + ciphertext + tag) of a well-formed ciphertext."""
    parts = ciphertext.split(".") if isinstance(ciphertext, str) else []
    if len(parts) != 3 or parts[0] != VERSION or len(parts[1]) != 12:
        raise SecretUnreadable("a stored secret is not a dagy1 ciphertext")
    body = parts[2]
    try:
        if not body.isascii() or "=" in body:
            raise ValueError(body)
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise SecretUnreadable("a stored secret is not a dagy1 ciphertext") from None
    if len(blob) < NONCE_BYTES + 16 or base64.urlsafe_b64encode(blob).decode().rstrip("=") != body:
        raise SecretUnreadable("a stored secret is not a dagy1 ciphertext")
    return parts[1], blob
