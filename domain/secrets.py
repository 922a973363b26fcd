"""Secrets: named values an org's tasks read at run time, stored only encrypted.

A secret is org-wide (`environment` None) or scoped to one environment of the org; a
run of a deployment in environment E reads E's secret of a name when there is one, the
org-wide one otherwise. The stored form is a SecretCipher ciphertext that names the key
it was made with (`key_id`); the value itself is never kept, listed or shown.

Names follow the rule of environment variable names, ``^[A-Za-z_][A-Za-z0-9_]{0,127}$``
(case-sensitive), because a local run reads a secret NAME from DAGY_SECRET_NAME. A value
is text of 1 to 65,536 UTF-8 bytes without NUL characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dagy.domain.errors import NotFoundError, ValidationError

MAX_NAME_CHARS = 128
MAX_VALUE_BYTES = 64 * 1024
NAME_RULE = "a letter or underscore, then letters, digits or underscores, at most 128 in all"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
MASK = "***"


@dataclass
class Secret:
    org_id: str
    secret_name: str
    encrypted_value: str  # a SecretCipher ciphertext, never the value
    key_id: str  # the id of the key that made `encrypted_value` (rotation)
    environment: str | None = None  # None: org-wide
    created_by: str | None = None
    updated_by: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


def check_secret_name(value: Any) -> str:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        shown = value[:40] + "..." if isinstance(value, str) and len(value) > 40 else value
        raise ValidationError(f"secret name {shown!r} is not valid: {NAME_RULE}")
    return value


def check_secret_value(value: Any) -> str:
    """The value as given, if it is text of 1 to MAX_VALUE_BYTES UTF-8 bytes."""
    if not isinstance(value, str):
        raise ValidationError("a secret value is a string")
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        raise ValidationError("a secret value must be valid text (no lone surrogates)") from None
    if size == 0:
        raise ValidationError("a secret value cannot be empty")
    if "\x00" in value:  # no environment variable (run_local's source) can hold one
        raise ValidationError("a secret value cannot contain NUL (0x00) characters")
    if size > MAX_VALUE_BYTES:
        raise ValidationError(f"a secret value is at most {MAX_VALUE_BYTES} bytes "
                              f"(UTF-8); this one is {size}")
    return value


class SecretNotFound(NotFoundError, KeyError):
    """`get_secret(name)` found no secret of that name for the run (nor org-wide)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


def describe_scope(environment: str | None) -> str:
    return "org-wide" if environment is None else f"in environment {environment!r}"


def mask_text(text: str, values: "list[str] | tuple[str, ...]") -> str:
    """`text` with every occurrence of each value replaced by ***, longest value first
    (so a value that contains another is masked whole)."""
    if not text or not values:
        return text
    for value in sorted(values, key=len, reverse=True):
        if value and value in text:
            text = text.replace(value, MASK)
    return text
