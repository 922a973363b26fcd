"""One attempt of one task: the unit handed to a TaskRunner."""

from __future__ import annotations

import traceback
from typing import Any, Callable

from dagy.application.context import RunContext, reset_current, set_current
from dagy.domain.runs import TaskRun


class Job:
    """Runs `fn(*args, **kwargs)` with the task's RunContext set on the current thread."""

    __slots__ = ("job_id", "task_id", "task_run", "fn", "args", "kwargs", "context",
                 "timeout_seconds", "map_index")

    def __init__(self, job_id: int, task_id: str, task_run: TaskRun, fn: Callable[..., Any],
                 args: tuple, kwargs: dict, context: RunContext,
                 timeout_seconds: float | None, map_index: int | None) -> None:
        self.job_id = job_id
        self.task_id = task_id
        self.task_run = task_run
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.context = context
        self.timeout_seconds = timeout_seconds
        self.map_index = map_index

    def invoke(self) -> tuple[bool, Any]:
        token = set_current(self.context)
        try:
            return True, self.fn(*self.args, **self.kwargs)
        except Exception as exc:
            self._log_traceback(exc)
            return False, exc
        except BaseException as exc:  # SystemExit/KeyboardInterrupt inside a task body
            if isinstance(exc, KeyboardInterrupt):
                raise
            self._log_traceback(exc)
            return False, exc
        finally:
            if self.context._logs is not None:
                self.context._logs.close()
            reset_current(token)

    def _log_traceback(self, exc: BaseException) -> None:
        """The failed attempt's traceback, as one ERROR line of the run's logs."""
        logs = self.context._logs
        if logs is not None:
            logs.line(traceback_text(exc), "ERROR")

    def __repr__(self) -> str:
        return f"Job({self.job_id}, {self.task_id!r}, attempt={self.context.attempt})"


TRACEBACK_CHARS = 8000


def traceback_text(exc: BaseException) -> str:
    """The formatted traceback, cut to its last TRACEBACK_CHARS characters: the raising
    frame is last, so the end is the part worth keeping. An exception that crossed a
    process boundary has lost its frames and gives its one-line summary."""
    text = "".join(traceback.format_exception(exc)).rstrip()
    if len(text) > TRACEBACK_CHARS:
        text = "... (cut)\n" + text[-TRACEBACK_CHARS:]
    return text
