"""Lifecycle hooks on tasks and flows, and the State objects they receive."""

from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

logger = logging.getLogger("dagy")


@dataclass(frozen=True)
class State:
    """A point in a task's or flow's life: RUNNING, COMPLETED or FAILED."""

    type: str
    message: str | None = None
    result: Any = None
    exception: BaseException | None = None
    timestamp: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def name(self) -> str:
        return self.type

    def is_running(self) -> bool:
        return self.type == "RUNNING"

    def is_completed(self) -> bool:
        return self.type == "COMPLETED"

    def is_failed(self) -> bool:
        return self.type == "FAILED"

    @classmethod
    def running(cls, message: str | None = None) -> "State":
        return cls("RUNNING", message)

    @classmethod
    def completed(cls, result: Any = None, message: str | None = None) -> "State":
        return cls("COMPLETED", message, result)

    @classmethod
    def failed(cls, error: BaseException | str | None = None, message: str | None = None) -> "State":
        if isinstance(error, BaseException):
            return cls("FAILED", message or f"{type(error).__name__}: {error}", exception=error)
        return cls("FAILED", message or error)


def running(message: str | None = None) -> State:
    return State.running(message)


def completed(result: Any = None, message: str | None = None) -> State:
    return State.completed(result, message)


def failed(error: BaseException | str | None = None, message: str | None = None) -> State:
    return State.failed(error, message)


class Hook:
    """Subclass and override any of `on_running`, `on_completion`, `on_failure`.

    Each receives `(context, state)`: the RunContext of the task or flow and its State.
    Overrides taking only `(state)` or nothing at all are accepted too.
    A hook that raises is logged and ignored: it never changes the run's outcome.
    """

    def on_running(self, context: Any, state: State) -> None:
        pass

    def on_completion(self, context: Any, state: State) -> None:
        pass

    def on_failure(self, context: Any, state: State) -> None:
        pass


_EVENTS = ("on_running", "on_completion", "on_failure")


def normalize_hooks(hooks: Any) -> tuple[Hook, ...]:
    """Accept a Hook, a Hook subclass, or a list of them; instantiate classes."""
    if hooks is None:
        return ()
    if not isinstance(hooks, (list, tuple)):
        hooks = [hooks]
    result = []
    for hook in hooks:
        if isinstance(hook, type) and issubclass(hook, Hook):
            hook = hook()
        if not isinstance(hook, Hook):
            raise TypeError(f"hooks must be Hook instances or subclasses, got {hook!r}")
        result.append(hook)
    return tuple(result)


def _arity(method: Any) -> int:
    try:
        params = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return 2
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return 2
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


def call_hooks(hooks: tuple[Hook, ...], event: str, context: Any, state: State) -> None:
    for hook in hooks:
        method = getattr(hook, event)
        try:
            arity = _arity(method)
            if arity >= 2:
                method(context, state)
            elif arity == 1:
                method(state)
            else:
                method()
        except Exception:  # a hook must never change the outcome of a run
            logger.exception("hook %s.%s failed", type(hook).__name__, event)
