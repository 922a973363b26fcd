"""RateLimiter for one process: buckets in a dict under a lock.

Enough for `dagy server` (one process answers every request); a fleet of API Lambdas
shares the SQL adapter instead. Buckets that are full again are dropped now and then,
so memory follows the number of recently active credentials, not all ever seen.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

from dagy.domain.rate_limit import Bucket, Limit, Verdict, take

PRUNE_EVERY = 10_000  # takes between sweeps of full buckets


class InMemoryRateLimiter:
    does_io = False

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, tuple[Bucket, Limit]] = {}
        self._lock = threading.Lock()
        self._takes = 0

    def take(self, key: str, limit: Limit) -> Verdict:
        if not limit.enabled:
            return take(None, limit, 0.0)[0]
        with self._lock:
            now = self._clock()
            held = self._buckets.get(key)
            verdict, bucket = take(held[0] if held else None, limit, now)
            self._buckets[key] = (bucket, limit)
            self._takes += 1
            if self._takes % PRUNE_EVERY == 0:
                self._prune(now)
            return verdict

    def _prune(self, now: float) -> None:
        full = [key for key, (bucket, limit) in self._buckets.items()
                if bucket.tokens + (now - bucket.updated_at) * limit.rate >= limit.burst]
        for key in full:
            del self._buckets[key]
