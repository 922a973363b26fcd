"""Port: hashing people's passwords for `POST /auth/login`.

Contract (tests/contract/test_password_hasher_contract.py runs it on every adapter):

- `verify(password, hash(password))` is True; any other password, or a stored value
  changed in any character or malformed, is False (never an exception: a corrupt row
  must read as a failed login, not a 500).
- `hash` is salted: the same password hashes differently each time; the stored text is
  ASCII, names its algorithm and cost, and never contains the password.
- `needs_rehash(stored)` is True when `stored` was made with other parameters than the
  adapter's current ones, so a login can upgrade the hash when the cost is raised.
- Verification takes the same time whether the password is right or wrong.
"""

from __future__ import annotations

from typing import Protocol


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password: str, stored: str) -> bool: ...

    def needs_rehash(self, stored: str) -> bool: ...
