"""PasswordHasher with scrypt (RFC 7914) from `cryptography`.

Stored form: `scrypt$<log2 n>$<r>$<p>$<base64 salt>$<base64 key>`. The defaults (n=2^15,
r=8, p=1: 32 MiB of memory and ~50 ms per guess on one core) follow the OWASP password
storage guidance for scrypt; tests pass a lower cost. Verification derives the key with
the parameters stored in the row, so raising the cost later keeps old hashes readable
(and `needs_rehash` reports them).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from dagy.domain.errors import ConfigurationError

SALT_BYTES = 16
KEY_BYTES = 32
MAX_LOG2_N = 20  # a stored row cannot ask for more than 1 GiB-ish of memory per check
MAX_PASSWORD_CHARS = 1024


class ScryptPasswordHasher:
    def __init__(self, log2_n: int = 15, r: int = 8, p: int = 1) -> None:
        if not (1 <= log2_n <= MAX_LOG2_N and 1 <= r <= 32 and 1 <= p <= 16):
            raise ConfigurationError("scrypt cost out of range (log2 n 1..20, r 1..32, p 1..16)")
        self.params = (log2_n, r, p)

    def hash(self, password: str) -> str:
        salt = os.urandom(SALT_BYTES)
        key = _derive(password, salt, *self.params)
        log2_n, r, p = self.params
        return f"scrypt${log2_n}${r}${p}${_b64(salt)}${_b64(key)}"

    def verify(self, password: str, stored: str) -> bool:
        parsed = _parse(stored)
        if parsed is None or not isinstance(password, str) or len(password) > MAX_PASSWORD_CHARS:
            # still spend the time of one derivation, so a bad row or a long input does
            # not answer faster than a wrong password
            _derive("", b"\0" * SALT_BYTES, *self.params)
            return False
        (log2_n, r, p), salt, key = parsed
        return hmac.compare_digest(_derive(password, salt, log2_n, r, p), key)

    def needs_rehash(self, stored: str) -> bool:
        parsed = _parse(stored)
        return parsed is None or parsed[0] != self.params


def _derive(password: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    kdf = Scrypt(salt=salt, length=KEY_BYTES, n=2 ** log2_n, r=r, p=p)
    return kdf.derive(password.encode("utf-8", "surrogatepass"))


def _parse(stored: str) -> tuple[tuple[int, int, int], bytes, bytes] | None:
    if not isinstance(stored, str):
        return None
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        log2_n, r, p = (int(x) for x in parts[1:4])
        salt, key = base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5],
                                                                                 validate=True)
    except (ValueError, binascii.Error):
        return None
    if not (1 <= log2_n <= MAX_LOG2_N and 1 <= r <= 32 and 1 <= p <= 16) or len(key) != KEY_BYTES:
        return None
    if len(salt) != SALT_BYTES:
        return None
    return (log2_n, r, p), salt, key


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
