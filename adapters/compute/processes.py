"""ProcessTaskRunner: each attempt in its own child process, so a timeout can kill it.

Use it for tasks that must not outlive their `timeout_seconds` (CPU loops, C code
that ignores signals). Results and errors cross back pickled; with the default
"fork" start method the task's function and arguments need not be picklable.
"""

from __future__ import annotations

import multiprocessing
import pickle
import threading
from typing import Any, Callable


class TaskProcessDied(RuntimeError):
    """The child process ended without reporting a result (killed, crashed, os._exit)."""


def _child(job: Any, conn: Any) -> None:
    ok, value = job.invoke()
    try:
        payload = pickle.dumps((ok, value))
    except Exception as exc:  # the result or error cannot cross a process boundary
        what = "result" if ok else f"error {type(value).__name__}: {value}"
        payload = pickle.dumps((False, RuntimeError(f"task {what} could not be pickled: {exc}")))
    conn.send_bytes(payload)
    conn.close()


class ProcessTaskRunner:
    supports_inline = False

    def __init__(self, max_workers: int | None = None, start_method: str | None = None) -> None:
        import os
        self.capacity = max_workers or (os.cpu_count() or 1)
        methods = multiprocessing.get_all_start_methods()
        self._ctx = multiprocessing.get_context(
            start_method or ("fork" if "fork" in methods else "spawn"))
        self._procs: dict[int, Any] = {}
        self._abandoned: set[int] = set()
        self._lock = threading.Lock()

    def start(self, job: Any, report: Callable[[Any, bool, Any], None]) -> None:
        recv, send = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(target=_child, args=(job, send), daemon=True,
                                 name=f"dagy-task-{job.job_id}")
        proc.start()
        send.close()
        with self._lock:
            self._procs[job.job_id] = proc
        threading.Thread(target=self._collect, args=(job, proc, recv, report), daemon=True).start()

    def _collect(self, job: Any, proc: Any, recv: Any, report: Callable) -> None:
        try:
            ok, value = pickle.loads(recv.recv_bytes())
        except (EOFError, OSError):
            proc.join()
            ok, value = False, TaskProcessDied(
                f"task process exited with code {proc.exitcode} before reporting a result")
        finally:
            recv.close()
        proc.join()
        with self._lock:
            self._procs.pop(job.job_id, None)
            abandoned = job.job_id in self._abandoned
            self._abandoned.discard(job.job_id)
        if not abandoned:
            report(job, ok, value)

    def abandon(self, job: Any) -> None:
        """Kill the attempt's process at once."""
        with self._lock:
            self._abandoned.add(job.job_id)
            proc = self._procs.get(job.job_id)
        if proc is not None and proc.is_alive():
            proc.kill()

    def close(self) -> None:
        """Kill every attempt still running; they are abandoned, so never reported."""
        with self._lock:
            self._abandoned.update(self._procs)
            procs = list(self._procs.values())
        for proc in procs:
            if proc.is_alive():
                proc.kill()

    def __enter__(self) -> "ProcessTaskRunner":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
