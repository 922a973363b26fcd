"""Runtime tiers (nano ... xlarge) and the backends that serve them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from dagy.domain.errors import ConfigurationError


class RuntimeTier(str, Enum):
    NANO = "nano"
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    XLARGE = "xlarge"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class TierResources:
    backend: str
    vcpu: float | None
    memory_mb: int | None
    max_duration_seconds: int | None


TIER_RESOURCES: dict[RuntimeTier, TierResources] = {
    RuntimeTier.NANO: TierResources("lambda", None, None, 600),
    RuntimeTier.MICRO: TierResources("lambda", None, None, 600),
    RuntimeTier.SMALL: TierResources("ecs", 0.5, 1024, None),
    RuntimeTier.MEDIUM: TierResources("ecs", 1, 2048, None),
    RuntimeTier.LARGE: TierResources("ecs", 2, 4096, None),
    RuntimeTier.XLARGE: TierResources("ecs", 4, 12288, None),
}

EXECUTORS = ("local", "lambda", "step-functions", "ecs")


def parse_tier(value: str | RuntimeTier | None) -> str | None:
    """Validate a tier name; return its canonical string (or None)."""
    if value is None:
        return None
    try:
        return RuntimeTier(str(value).lower()).value
    except ValueError:
        names = ", ".join(t.value for t in RuntimeTier)
        raise ConfigurationError(f"unknown runtime tier {value!r}; choose one of {names}") from None


def parse_executor(value: str | None) -> str | None:
    if value is None:
        return None
    name = str(value).lower()
    if name not in EXECUTORS:
        raise ConfigurationError(
            f"unknown executor {value!r}; choose one of {', '.join(EXECUTORS)}")
    return name
