"""Port: token buckets shared by everything that answers requests for one deployment.

Contract (tests/contract/test_rate_limiter_contract.py runs it on every adapter):

- `take(key, limit)` spends one token of the bucket named `key` and answers the
  dagy.domain.rate_limit.Verdict; a bucket not seen before starts full (`limit.burst`).
- Atomic: under concurrent `take`s on one key, no more than `burst + rate * elapsed`
  requests are allowed in total, whichever process or thread calls.
- Buckets of different keys are independent.
- A disabled limit (`rate == 0`) always allows and stores nothing.
"""

from __future__ import annotations

from typing import Protocol

from dagy.domain.rate_limit import Limit, Verdict


class RateLimiter(Protocol):
    #: True when `take` waits on I/O (a database): callers on an event loop run it in a
    #: thread; False when it only takes a lock in memory.
    does_io: bool

    def take(self, key: str, limit: Limit) -> Verdict: ...
