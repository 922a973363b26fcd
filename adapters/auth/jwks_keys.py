"""An identity provider's signing keys by key id (`kid`), from its JWKS endpoint.

PyJWKClient fetches and parses the key set; the caching around it is ours, because
verification must answer three cases differently and never wait on a provider that is
down more than once in a while:

- a key set younger than `cache_seconds` answers from memory (no lock, no request);
- a `kid` missing from a fresh set refreshes it at most once per `cooldown_seconds`
  (a provider that rotated keys is seen within the cooldown; a stream of forged key ids
  costs the provider at most one request per cooldown) and is otherwise unknown (401);
- a fetch that fails (unreachable, an HTTP error, not a key set) raises UnavailableError
  (503), and the next attempt waits `retry_seconds`, so an outage costs one timeout per
  retry window instead of one per request.

Only keys for the pinned algorithms are kept: an HMAC (`oct`) or other key the provider
may publish can never be chosen to verify a token.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import jwt
from jwt import PyJWK, PyJWKClient

from dagy.domain.errors import UnavailableError
from dagy.domain.tenancy import AuthenticationError

PINNED_ALGORITHMS = ("RS256", "ES256")
UNAVAILABLE = ("the identity provider's signing keys (DAGY_JWKS_URL) could not be fetched: "
               "retry later")


@dataclass(frozen=True)
class _Snapshot:
    keys: dict[str, PyJWK] = field(default_factory=dict)
    fetched_at: float | None = None  # last successful fetch (monotonic seconds)


class JwksKeys:
    def __init__(self, jwks_url: str, *, cache_seconds: float = 300,
                 cooldown_seconds: float = 30, retry_seconds: float = 10,
                 timeout_seconds: float = 5, client: Any = None,
                 now: Callable[[], float] = time.monotonic) -> None:
        self._client = client or PyJWKClient(jwks_url, cache_jwk_set=False,
                                             timeout=timeout_seconds)
        self._cache_seconds, self._cooldown = cache_seconds, cooldown_seconds
        self._retry, self._wait = retry_seconds, timeout_seconds + 1
        self._now = now
        self._snapshot = _Snapshot()  # replaced whole, so a reader never sees half of one
        self._attempted_at: float | None = None
        self._failed = False
        self._lock = threading.Lock()  # one fetch at a time

    def key(self, kid: str) -> PyJWK:
        """The signing key `kid`; AuthenticationError if the provider has no such key,
        UnavailableError if its key set cannot be fetched now."""
        snapshot = self._snapshot
        if kid in snapshot.keys and self._fresh(snapshot, self._now()):
            return snapshot.keys[kid]  # the hot path: no lock
        if not self._lock.acquire(timeout=self._wait):
            raise UnavailableError(UNAVAILABLE)
        try:
            now = self._now()
            snapshot = self._snapshot
            if not self._fresh(snapshot, now):
                snapshot = self._fetch(now)
            elif kid not in snapshot.keys and self._may_attempt(now, self._cooldown):
                snapshot = self._fetch(now)
        finally:
            self._lock.release()
        found = snapshot.keys.get(kid)
        if found is None:
            raise AuthenticationError("invalid token: unknown key id")
        return found

    def _fresh(self, snapshot: _Snapshot, now: float) -> bool:
        return snapshot.fetched_at is not None and now - snapshot.fetched_at < self._cache_seconds

    def _may_attempt(self, now: float, spacing: float) -> bool:
        return self._attempted_at is None or now - self._attempted_at >= spacing

    def _fetch(self, now: float) -> _Snapshot:
        if self._failed and not self._may_attempt(now, self._retry):
            raise UnavailableError(UNAVAILABLE)
        self._attempted_at = now
        try:
            keys = self._client.get_signing_keys(refresh=True)
        except (jwt.PyJWTError, ValueError, OSError):  # unreachable, HTTP error, not JSON
            self._failed = True
            raise UnavailableError(UNAVAILABLE) from None
        self._failed = False
        pinned = {k.key_id: k for k in keys
                  if k.key_id and k.algorithm_name in PINNED_ALGORITHMS}
        self._snapshot = _Snapshot(pinned, self._now())
        return self._snapshot
