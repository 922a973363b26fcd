"""A running run's lease: heartbeats that extend it, and the cancel signal it carries.

The executor owns the run while its lease is fresh. A background thread extends the
lease (compare-and-set, so it never overwrites a cancel) and polls for cancellation.
"""

from __future__ import annotations

import copy
import threading
from datetime import timedelta
from typing import Any

from dagy.domain.runs import Run
from dagy.domain.states import RunStatus


class RunLease:
    def __init__(self, deps: Any, claimed: Run, poll_seconds: float = 0.5) -> None:
        self.deps, self.base = deps, copy.copy(claimed)
        self.version = claimed.version
        self.lock = threading.Lock()
        self.cancel = threading.Event()
        self._stop = threading.Event()
        self._poll = poll_seconds
        self._thread = threading.Thread(target=self._beat, name=f"lease-{claimed.run_id[:8]}",
                                        daemon=True)

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
                    self.extend()
                else:
                    self._check_cancelled()
            except Exception:  # a store hiccup must not kill the run; the next beat retries
                continue

    def extend(self) -> bool:
        row = copy.copy(self.base)
        row.lease_expires_at = self.deps.clock.now() + timedelta(seconds=self.deps.lease_seconds)
        if self._write_owned(row):
            return True
        self._check_cancelled()
        return False

    def _check_cancelled(self) -> None:
        """Stop between tasks when the run was cancelled or taken over (re-queued)."""
        with self.deps.uow() as uow:
            stored = uow.runs.get(self.base.org_id, self.base.run_id)
        if stored is None or stored.status is not RunStatus.RUNNING or stored.version != self.version:
            self.cancel.set()

    def finish(self, final: Run) -> bool:
        """Write the terminal state if this executor still owns the run."""
        self._stop.set()
        row = copy.copy(final)
        row.lease_expires_at = row.lease_owner = None
        return self._write_owned(row)

    def _write_owned(self, row: Run) -> bool:
        """Compare-and-set over the version this executor last wrote: True while it owns
        the run; False once someone else (a cancel, the lease sweeper) changed it."""
        with self.lock:
            row.version = self.version + 1
            with self.deps.uow() as uow:
                if uow.runs.compare_and_set(row, RunStatus.RUNNING, self.version):
                    uow.commit()
                    self.version += 1
                    return True
        return False
