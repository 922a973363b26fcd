"""Port: encrypting the credentials Dagy must be able to read back (webhook HMAC secrets).

Credentials that are only ever compared (API keys, webhook tokens) are hashed instead
(dagy.domain.tenancy.hash_secret); this port is for the ones a use case needs in clear.
"""

from __future__ import annotations

from typing import Protocol

from dagy.domain.errors import UnavailableError


class SecretUnreadable(UnavailableError):
    """A stored ciphertext cannot be decrypted: it was altered, or it was encrypted under
    a key this server does not hold (DAGY_SECRET_KEY changed, or the key file was lost).
    Nothing the caller sends can fix it (HTTP 503)."""


class SecretCipher(Protocol):
    """Contract (tests/contract/test_secret_cipher_contract.py runs it on every adapter):

    - `decrypt(encrypt(text)) == text` for every string, the empty one included.
    - The ciphertext is ASCII text that names the key it was made with: `key_id(ct)`
      equals `current_key_id` at the time of encryption, so a keyring can later decrypt
      old values while encrypting new ones under a newer key (rotation).
    - Encryption is authenticated and randomized: the same text encrypts differently
      each time, and a ciphertext changed in any character, or decrypted by a cipher
      without its key, raises SecretUnreadable (never returns other text).
    - There is no pass-through implementation: every adapter really encrypts.
    """

    current_key_id: str

    def encrypt(self, plaintext: str) -> str:
        """The ciphertext of `plaintext` under the current key."""

    def decrypt(self, ciphertext: str) -> str:
        """The plaintext; SecretUnreadable if it is malformed, altered or of an unknown key."""

    def key_id(self, ciphertext: str) -> str:
        """The id of the key `ciphertext` was made with; SecretUnreadable if malformed."""
