"""A running run's heartbeat: it extends the lease and carries the cancel signal.

The executor owns the run while its lease is fresh. A background thread extends the
lease through the run's recorder (the one holder of the version this executor last
committed; every write is a compare-and-set on it, so a cancel is never overwritten)
and, between extensions, checks that the run is still this executor's. Once it is not
(cancelled, re-queued, failed by the sweeper) the cancel signal is set and the runner
stops between tasks.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol


class LeaseHolder(Protocol):
    """What the heartbeat needs of the run's owner (StoreRecorder)."""

    def extend_lease(self) -> bool:
        """Push the expiry forward; False once the run is no longer this executor's."""
        ...

    def still_owns(self) -> bool:
        """The stored run is still this executor's, at the version it last committed."""
        ...


class RunLease:
    def __init__(self, deps: Any, holder: LeaseHolder, poll_seconds: float = 0.5) -> None:
        self.deps, self.holder = deps, holder
        self.cancel = threading.Event()
        self._stop = threading.Event()
        self._poll = poll_seconds
        self._thread = threading.Thread(target=self._beat, daemon=True, name="run-lease")

    def __enter__(self) -> "RunLease":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _beat(self) -> None:
        interval = max(self._poll, self.deps.lease_seconds / 3)
        waited = 0.0
        while not self._stop.wait(self._poll):
            waited += self._poll
            try:
                if waited >= interval:
                    waited = 0.0
                    owned = self.holder.extend_lease()
                else:
                    owned = self.holder.still_owns()
            except Exception:  # a store hiccup must not kill the run; the next beat retries
                continue
            if not owned and not self._stop.is_set():
                self.cancel.set()
