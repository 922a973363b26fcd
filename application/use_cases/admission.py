"""Group commit for triggered runs: concurrent triggers share one transaction.

Under load each commit, each deployment read and each INSERT's fixed cost is paid
once per batch instead of once per run. One writer thread drains pending admissions,
validates each (a trigger that fails validation fails alone), writes the new runs and
their events with one multi-row INSERT each, commits, then resolves the callers'
futures. If the shared write fails, every admission is retried on its own, so one
bad neighbour never fails the others.

The composition root owns one per process and calls `stop()` on shutdown: the writer
writes what was submitted before, then its thread ends; later submits are refused.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from queue import Empty, SimpleQueue
from typing import Any

from dagy.application import audit_trail
from dagy.application.audit_views import run_view
from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.application.use_cases.runs import add_prepared, execute_event, prepare_run, trigger_run
from dagy.domain.errors import DagyError, UnavailableError

_STOP = object()  # the writer's last item


class RunAdmission:
    def __init__(self, deps: Deps, max_batch: int = 128) -> None:
        self.deps, self.max_batch = deps, max_batch
        self._pending: SimpleQueue = SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def submit(self, principal: Principal, deployment_name: str,
               parameters: dict[str, Any] | None = None, runtime_tier: str | None = None,
               idempotency_key: str | None = None) -> Future:
        """A Future of (Run, created), or of the DagyError that refused the trigger."""
        future: Future = Future()
        with self._lock:
            if self._stopped:
                raise UnavailableError("the server is shutting down: no new runs are admitted")
            self._pending.put((future, (principal, deployment_name, parameters, runtime_tier,
                                        idempotency_key)))
            if self._thread is None:
                self._thread = threading.Thread(target=self._write_forever,
                                                name="dagy-run-admission", daemon=True)
                self._thread.start()
        return future

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        """Write what was submitted, end the writer thread (at most `timeout` seconds)."""
        with self._lock:
            self._stopped = True
            thread = self._thread
            if thread is not None:
                self._pending.put(_STOP)
        if thread is not None:
            thread.join(timeout)

    def _write_forever(self) -> None:
        while True:
            first = self._pending.get()
            if first is _STOP:
                return
            batch = [first]
            stop = False
            while len(batch) < self.max_batch:
                try:
                    item = self._pending.get_nowait()
                except Empty:
                    break
                if item is _STOP:
                    stop = True
                    break
                batch.append(item)
            self.write(batch)
            if stop:
                return

    def write(self, batch: list) -> None:
        outcomes: list[tuple[Future, Any, BaseException | None]] = []
        try:
            with self.deps.uow() as uow:
                memo: dict = {}
                fresh, audited = [], []
                for future, args in batch:
                    try:
                        run, created = prepare_run(self.deps, uow, *args, deployments=memo)
                    except DagyError as exc:
                        outcomes.append((future, None, exc))
                        continue
                    if created and run.idempotency_key is None:
                        fresh.append(run)
                    elif created:  # keyed runs may race another writer: one at a time
                        run, created = add_prepared(self.deps, uow, run)
                    if created:
                        audited.append((args[0], "run.create", "run", run.run_id, None,
                                        run_view(run)))
                    outcomes.append((future, (run, created), None))
                uow.runs.add_many(fresh)
                uow.outbox.add_many([execute_event(self.deps, run) for run in fresh])
                audit_trail.record_many(uow, self.deps, audited)
                uow.commit()
        except Exception:
            for future, args in batch:  # the shared write failed: one by one
                try:
                    future.set_result(trigger_run(self.deps, *args))
                except Exception as exc:
                    future.set_exception(exc)
            return
        for future, result, error in outcomes:
            if error is None:
                future.set_result(result)
            else:
                future.set_exception(error)
