"""Retry policy: how many retries, how long to wait before each, and jitter."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence, Union

from dagy.domain.errors import ConfigurationError

Delay = Union[float, int, Sequence[float], Callable[[int], float], None]


@dataclass(frozen=True)
class RetryPolicy:
    """`delay` is seconds (fixed), a list (one entry per retry, last one repeats),
    or a callable(attempt) -> seconds, where attempt is the 1-based attempt that failed.
    Jitter spreads each delay uniformly over [d * (1 - j), d * (1 + j)].
    """

    retries: int = 0
    delay: Delay = 0
    jitter_factor: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.retries, int) or isinstance(self.retries, bool) or self.retries < 0:
            raise ConfigurationError(f"retries must be a non-negative integer, got {self.retries!r}")
        if self.jitter_factor is not None and not _is_seconds(self.jitter_factor):
            raise ConfigurationError(
                f"retry_jitter_factor must be a non-negative number, got {self.jitter_factor!r}")
        delay = self.delay
        if delay is None or callable(delay):
            return
        values = list(delay) if isinstance(delay, (list, tuple)) else [delay]
        for value in values:
            if not _is_seconds(value):
                raise ConfigurationError(
                    f"retry_delay_seconds must be finite non-negative numbers, got {delay!r}")

    @property
    def max_attempts(self) -> int:
        return self.retries + 1

    def can_retry(self, failed_attempt: int) -> bool:
        return failed_attempt <= self.retries

    def base_delay(self, failed_attempt: int) -> float:
        delay = self.delay
        if delay is None:
            return 0.0
        if callable(delay):
            value = delay(failed_attempt)
            if not _is_seconds(value):
                raise ConfigurationError(
                    f"retry_delay_seconds callable returned {value!r}; expected seconds >= 0")
            return float(value)
        if isinstance(delay, (list, tuple)):
            if not delay:
                return 0.0
            return float(delay[min(failed_attempt, len(delay)) - 1])
        return float(delay)

    def delay_for(self, failed_attempt: int, unit_random: float = 0.5) -> float:
        """Seconds to wait after `failed_attempt`; `unit_random` in [0, 1) drives jitter."""
        base = self.base_delay(failed_attempt)
        if not self.jitter_factor or base == 0:
            return base
        low = max(0.0, base * (1 - self.jitter_factor))
        high = base * (1 + self.jitter_factor)
        return low + (high - low) * unit_random


def _is_seconds(value: object) -> bool:
    """A finite, non-negative real number (NaN and infinity are not durations)."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and value >= 0)
