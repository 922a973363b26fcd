"""Environments: the named stages (development, staging, production, ...) of one org.

Every deployment belongs to one environment of its org. An environment carries defaults
for the runs of its deployments (executor, runtime tier) and a JSON object of
configuration; a protected one (production, as seeded) cannot be deleted, and only an
admin may deploy into it, change its secrets or change it. The rules about who may act
in which environment live in dagy.application.environments; this module holds what an
environment is and what a valid one looks like.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dagy.domain.errors import ConfigurationError, ValidationError
from dagy.domain.json_values import check_storable
from dagy.domain.tiers import parse_tier

#: Every org starts with these, in this listing order: (name, protected).
SEEDED_ENVIRONMENTS: tuple[tuple[str, bool], ...] = (
    ("development", False), ("staging", False), ("production", True))
DEFAULT_ENVIRONMENT = "development"

MAX_NAME_CHARS = 64
MAX_EXECUTOR_CHARS = 64
MAX_CONFIG_BYTES = 64 * 1024
MAX_CONFIG_DEPTH = 16
_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
#: An executor name: a letter or digit, then letters, digits and . _ : / + - (no spaces).
EXECUTOR_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._:/+-]*"
_EXECUTOR = re.compile(EXECUTOR_PATTERN)


@dataclass
class Environment:
    org_id: str
    env_name: str
    is_protected: bool = False
    default_executor: str | None = None
    default_runtime_tier: str | None = None
    config_json: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None


def check_env_name(value: Any, field_name: str = "env_name") -> str:
    """A slug: lower-case letters, digits and inner hyphens, 1 to 64 characters (names
    appear in URLs, API key scopes and CLI flags, so they stay plain)."""
    if (not isinstance(value, str) or len(value) > MAX_NAME_CHARS
            or not _SLUG.fullmatch(value)):
        raise ValidationError(
            f"{field_name} must be a slug: lower-case letters, digits and hyphens, starting "
            f"and ending with a letter or digit, 1 to {MAX_NAME_CHARS} characters")
    return value


def check_executor(value: Any) -> str | None:
    """A name the compute backends interpret (they validate it; here it is only bounded):
    1 to 64 characters of EXECUTOR_PATTERN; None for no default."""
    if value is None:
        return None
    if (not isinstance(value, str) or len(value) > MAX_EXECUTOR_CHARS
            or not _EXECUTOR.fullmatch(value)):
        raise ValidationError(f"default_executor must be 1 to {MAX_EXECUTOR_CHARS} "
                              "letters, digits or . _ : / + - (starting with a letter or "
                              "digit), or null")
    return value


def check_tier(value: Any) -> str | None:
    """A runtime tier of dagy.domain.tiers (canonical lower-case name), or None."""
    if value is not None and not isinstance(value, str):
        raise ValidationError("default_runtime_tier must be a runtime tier name or null")
    try:
        return parse_tier(value)
    except ConfigurationError as exc:  # here it is a request field: a ValidationError
        raise ValidationError(f"default_runtime_tier: {exc}") from None


def check_config(value: Any) -> dict[str, Any]:
    """Any storable JSON object, at most 16 levels deep and 64 KiB as compact JSON."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError("config_json must be a JSON object")
    check_storable(value, "config_json")
    nested = _depth(value)
    if nested > MAX_CONFIG_DEPTH:
        raise ValidationError(f"config_json is nested {nested} levels deep; at most "
                              f"{MAX_CONFIG_DEPTH} are allowed")
    size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
    if size > MAX_CONFIG_BYTES:
        raise ValidationError(f"config_json is {size} bytes as JSON; at most "
                              f"{MAX_CONFIG_BYTES} are allowed")
    return value


def _depth(value: Any) -> int:
    """Levels of containers (an object or array is one), iteratively."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def seeded(org_id: str, now: datetime | None) -> list[Environment]:
    """The environments a new org starts with."""
    return [Environment(org_id, name, protected, created_at=now, updated_at=now)
            for name, protected in SEEDED_ENVIRONMENTS]
