"""RunContext: what a running task may ask about itself (`RunContext.current()`)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol


class CancelSignal(Protocol):
    """Anything with `is_set()`: a threading.Event, or a store-backed poller."""

    def is_set(self) -> bool: ...

    def set(self) -> None: ...


@dataclass(slots=True)
class RunContext:
    """Identity of the current run and task. `attempt` is 1-based."""

    flow_name: str
    run_id: str
    parameters: dict[str, Any]
    task_name: str | None = None
    task_id: str | None = None
    task_run_id: str | None = None
    attempt: int = 1
    map_index: int | None = None
    _cancel: Any = field(default=None, repr=False, compare=False)
    _logs: Any = field(default=None, repr=False, compare=False)  # log_capture.TaskLogs
    _secrets: Any = field(default=None, repr=False, compare=False)  # run_secrets.RunSecrets

    @staticmethod
    def current() -> "RunContext | None":
        """The context of the task (or flow hook) running on this thread, else None."""
        return _current.get()

    def cancel_run(self) -> None:
        """Ask the runner to stop the run: no new task starts after this one."""
        if self._cancel is not None:
            self._cancel.set()


_current: ContextVar[RunContext | None] = ContextVar("dagy_run_context", default=None)


def set_current(ctx: RunContext | None):
    return _current.set(ctx)


def reset_current(token) -> None:
    _current.reset(token)
