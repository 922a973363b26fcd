"""Per-task log capture: `print()` and `get_run_logger()` lines routed into the run's logs.

Tasks run on pool threads at the same time, so swapping `sys.stdout` per task would mix
their output. Secret values the run has read are masked (***) in both: the run's lines
and what passes through to the real stdout. Instead one proxy is installed over `sys.stdout` (once, for the process);
on every write it asks the current RunContext (a contextvar, so per thread) for the
task's `TaskLogs` and, if the task captures prints, turns complete lines into LogLines
for the run's recorder. Everything written still reaches the real stdout.
"""

from __future__ import annotations

import sys
import threading
from datetime import datetime, timezone
from typing import Any, Callable

from dagy.application.context import RunContext
from dagy.application.ports.storage import LogLine

MAX_LINE_CHARS = 8192  # a longer printed line is cut, so one print cannot flood the logs


class TaskLogs:
    """Where one task attempt's log lines go: `emit(LogLine)` (the recorder's `log`)."""

    __slots__ = ("emit", "task_name", "task_run_id", "log_prints", "_partial", "_now", "mask")

    def __init__(self, emit: Callable[[LogLine], None], task_name: str, task_run_id: str,
                 log_prints: bool = True, now: Callable[[], datetime] | None = None,
                 mask: Callable[[str], str] | None = None) -> None:
        """`mask`: the run's secret masking (run_secrets.RunSecrets.mask), applied to
        every line before it is emitted."""
        self.emit, self.task_name, self.task_run_id = emit, task_name, task_run_id
        self.mask = mask
        self.log_prints = log_prints
        self._partial = ""
        self._now = now or (lambda: datetime.now(timezone.utc))
        if log_prints:
            install()

    def line(self, message: str, level: str = "INFO") -> None:
        """One line into the run's logs, named by the task, secrets masked."""
        if self.mask is not None:
            message = self.mask(message)
        if len(message) > MAX_LINE_CHARS:
            message = message[:MAX_LINE_CHARS] + "... (cut)"
        try:
            self.emit(LogLine(self._now(), f"{self.task_name}: {message}", level,
                              self.task_run_id))
        except Exception:  # a log line must never fail the task that printed it
            pass

    def printed(self, text: str) -> None:
        """Text the task wrote to stdout: complete lines go out, a partial one waits."""
        text = self._partial + text
        *complete, self._partial = text.split("\n")
        for piece in complete:
            self.line(piece.rstrip("\r"))

    def close(self) -> None:
        """The attempt ended: a last line printed without a newline goes out too."""
        if self._partial:
            rest, self._partial = self._partial, ""
            self.line(rest)


def current_task_logs() -> TaskLogs | None:
    ctx = RunContext.current()
    return None if ctx is None else ctx._logs


class _StdoutProxy:
    """Stands in for sys.stdout: writes pass through, and go to the current task's logs."""

    captures = True  # sys.stderr's proxy (below) only masks

    def __init__(self, target: Any) -> None:
        self._target = target

    def write(self, text: str) -> int:
        ctx = RunContext.current()
        if ctx is None:
            return self._target.write(text)
        given = text
        if ctx._secrets is not None and isinstance(text, str):
            text = ctx._secrets.mask(text)  # the process's own stdout gets no secret either
        logs = ctx._logs
        if self.captures and logs is not None and logs.log_prints and text:
            logs.printed(text)
        self._target.write(text)
        return len(given)  # what the caller wrote, though the masked text may differ

    def flush(self) -> None:
        self._target.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)


class _StderrProxy(_StdoutProxy):
    """Stands in for sys.stderr once a run has read a secret: writes pass through with
    the run's secret values masked; nothing is captured into the run's logs."""

    captures = False


_install_lock = threading.Lock()


def install(stderr: bool = False) -> None:
    """Put the proxy over sys.stdout unless it is already there (idempotent); with
    `stderr`, the masking one over sys.stderr as well."""
    with _install_lock:
        if not isinstance(sys.stdout, _StdoutProxy):
            sys.stdout = _StdoutProxy(sys.stdout)
        if stderr and not isinstance(sys.stderr, _StdoutProxy):
            sys.stderr = _StderrProxy(sys.stderr)
