"""SecretCipher over `cryptography`'s MultiFernet: the first key encrypts, every key decrypts.

A ciphertext is `fernet1.<key id>.<Fernet token without padding>`; the key id (12 hex
digits of a SHA-256 of the key, as the AES-GCM adapter derives it) says which key made
it, so rotation can find the rows still under an old key. Fernet authenticates the token
(HMAC-SHA256 over AES-128-CBC); the key id outside the token is checked against the key
that actually opened it, so editing the id is refused as well. Keys are the usual Fernet
key text (32 bytes, URL-safe base64: `Fernet.generate_key()`), several comma-separated in
DAGY_SECRET_KEYS.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from dagy.adapters.crypto.aes_gcm import key_id_of
from dagy.application.ports.crypto import SecretUnreadable
from dagy.domain.errors import ConfigurationError

VERSION = "fernet1"
KEY_HELP = ("DAGY_SECRET_KEYS holds comma-separated Fernet keys (32 random bytes in URL-safe "
            "base64), e.g. the output of `python -c \"from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())\"`")


def generate_fernet_key() -> str:
    return Fernet.generate_key().decode("ascii")


def parse_keys(text: str) -> list[bytes]:
    """The raw 32-byte keys of a comma-separated DAGY_SECRET_KEYS; ConfigurationError else."""
    raws = []
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        try:
            raw = base64.urlsafe_b64decode(item + "=" * (-len(item) % 4))
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ConfigurationError(f"a secret key is not valid: {KEY_HELP}")
        raws.append(raw)
    if not raws:
        raise ConfigurationError(f"no secret key given: {KEY_HELP}")
    return raws


class FernetKeyring:
    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys or any(not isinstance(k, bytes) or len(k) != 32 for k in keys):
            raise ConfigurationError(f"Fernet keys are 32 bytes: {KEY_HELP}")
        self._by_id = {key_id_of(k): Fernet(base64.urlsafe_b64encode(k)) for k in keys}
        self._ring = MultiFernet([self._by_id[key_id_of(k)] for k in keys])
        self.current_key_id = key_id_of(keys[0])
        self.key_ids = tuple(key_id_of(k) for k in keys)

    @classmethod
    def from_text(cls, text: str) -> "FernetKeyring":
        return cls(parse_keys(text))

    def encrypt(self, plaintext: str) -> str:
        token = self._ring.encrypt(plaintext.encode("utf-8", "surrogatepass"))
        return f"{VERSION}.{self.current_key_id}.{token.decode('ascii').rstrip('=')}"

    def key_id(self, ciphertext: str) -> str:
        return _split(ciphertext)[0]

    def decrypt(self, ciphertext: str) -> str:
        key_id, token = _split(ciphertext)
        fernet = self._by_id.get(key_id)
        if fernet is None:
            raise SecretUnreadable(f"a stored secret was encrypted with key {key_id}, which "
                                   "this server does not hold (was DAGY_SECRET_KEYS changed?)")
        try:
            return fernet.decrypt(token).decode("utf-8", "surrogatepass")
        except (InvalidToken, UnicodeDecodeError):
            raise SecretUnreadable(f"a stored secret (key {key_id}) failed authentication: "
                                   "it was altered") from None

    def rotate(self, ciphertext: str) -> str:
        """The same secret under the current key (what `dagy secrets rotate-key` writes)."""
        return self.encrypt(self.decrypt(ciphertext))


def _split(ciphertext: str) -> tuple[str, bytes]:
    parts = ciphertext.split(".") if isinstance(ciphertext, str) else []
    if len(parts) != 3 or parts[0] != VERSION or len(parts[1]) != 12:
        raise SecretUnreadable("a stored secret is not a fernet1 ciphertext")
    body = parts[2]
    if not body.isascii() or "=" in body:
        raise SecretUnreadable("a stored secret is not a fernet1 ciphertext")
    token = body + "=" * (-len(body) % 4)
    try:
        canonical = base64.urlsafe_b64encode(base64.urlsafe_b64decode(token)).decode()
    except (binascii.Error, ValueError):
        raise SecretUnreadable("a stored secret is not a fernet1 ciphertext") from None
    if canonical != token:
        raise SecretUnreadable("a stored secret is not a fernet1 ciphertext")
    return parts[1], token.encode("ascii")
