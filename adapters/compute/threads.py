"""ThreadPoolTaskRunner: task bodies on a pool of daemon threads.

A plain pool of daemon threads instead of concurrent.futures: a task that timed out
is abandoned, not joined, so neither the run nor interpreter exit waits for it, and a
replacement thread keeps the pool at full capacity.
"""

from __future__ import annotations

import threading
from queue import SimpleQueue
from typing import Any, Callable

_STOP = object()


class ThreadPoolTaskRunner:
    supports_inline = True

    def __init__(self, max_workers: int | None = None) -> None:
        if max_workers is None:
            import os
            max_workers = min(32, (os.cpu_count() or 1) + 4)
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self.capacity = max_workers
        self._jobs: SimpleQueue = SimpleQueue()
        self._lock = threading.Lock()
        self._workers = 0
        self._idle = 0
        self._abandoned: set[int] = set()
        self._closed = False

    def start(self, job: Any, report: Callable[[Any, bool, Any], None]) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError("task runner is closed")
            need_thread = self._idle == 0 and self._workers < self.capacity + len(self._abandoned)
            if need_thread:
                self._workers += 1
            else:
                self._idle -= 1
        self._jobs.put((job, report))
        if need_thread:
            threading.Thread(target=self._work, name=f"dagy-task-{self._workers}",
                             daemon=True).start()

    def abandon(self, job: Any) -> None:
        """The job's thread is stuck in user code: count it out of capacity."""
        with self._lock:
            self._abandoned.add(job.job_id)

    def close(self) -> None:
        """Stop the workers; jobs still running finish unseen (abandoned)."""
        with self._lock:
            self._closed = True
            workers = self._workers
        for _ in range(workers):
            self._jobs.put(_STOP)

    def _work(self) -> None:
        jobs = self._jobs
        while True:
            item = jobs.get()
            if item is _STOP:
                return
            job, report = item
            ok, value = job.invoke()
            with self._lock:
                # after close() every job still running counts as abandoned: never reported
                was_abandoned = job.job_id in self._abandoned or self._closed
                if job.job_id in self._abandoned:
                    self._abandoned.discard(job.job_id)
                    if self._workers > self.capacity + len(self._abandoned):
                        self._workers -= 1
                        return_now = True
                    else:
                        return_now = False
                else:
                    return_now = False
                if not return_now:
                    self._idle += 1
            if not was_abandoned:
                report(job, ok, value)
            if return_now:
                return

    def __enter__(self) -> "ThreadPoolTaskRunner":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
