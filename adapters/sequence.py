"""Creation-order numbers for rows that are listed oldest first (flows, task runs, outbox
events, queue messages).

One generator per database handle (SqlDatabase, InMemoryStore), never per module: two
handles in one process, or two test databases, share nothing. The numbers are wall-clock
nanoseconds since the epoch, bumped past the last one this generator gave out, so:

- from one generator they strictly increase, even when the clock stalls or steps back;
- from several (other processes, other handles on the same database) they follow the
  wall clock, up to clock skew, which is the order rows written by several writers get.

Nanoseconds fit a BIGINT column until the year 2262 and sort after the microsecond
numbers queue messages were once given, so rows already stored keep their place.
"""

from __future__ import annotations

import threading
import time
from typing import Callable


class SequenceGenerator:
    """Strictly increasing creation-order numbers; safe to share between threads."""

    def __init__(self, clock_ns: Callable[[], int] = time.time_ns) -> None:
        self._clock_ns = clock_ns
        self._lock = threading.Lock()
        self._last = 0

    def next(self) -> int:
        """One number, greater than every number this generator gave before."""
        return self.take(1)[0]

    def take(self, count: int) -> range:
        """`count` consecutive numbers, all greater than every number given before."""
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        with self._lock:
            first = max(self._clock_ns(), self._last + 1)
            self._last = max(self._last, first + count - 1)
        return range(first, first + count)
