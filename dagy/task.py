"""`@task`: a Python function with retries, timeouts, hooks and a runtime tier."""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Iterable

from dagy.application.hooks import normalize_hooks
from dagy.tracing import TaskOutput, active_trace
from dagy.domain.errors import ConfigurationError
from dagy.domain.retry import RetryPolicy
from dagy.domain.tiers import parse_executor, parse_tier


class Task:
    """A task. Outside a flow, calling it runs the function; inside a traced flow it
    records a node and returns a TaskOutput."""

    def __init__(self, fn: Callable[..., Any], name: str | None = None, retries: int = 0,
                 retry_delay_seconds: Any = 0, retry_jitter_factor: float | None = None,
                 timeout_seconds: float | None = None, executor: str | None = None,
                 runtime_tier: str | None = None, memory_mb: int | None = None,
                 tags: Iterable[str] | None = None, hooks: Any = None,
                 description: str | None = None, log_prints: bool | None = None) -> None:
        if not callable(fn):
            raise ConfigurationError(f"@task needs a function, got {fn!r}")
        if log_prints is not None and not isinstance(log_prints, bool):
            raise ConfigurationError(f"log_prints must be True or False, got {log_prints!r}")
        self.log_prints = log_prints  # None: the flow's setting
        self.fn = fn
        self.name = name or getattr(fn, "__name__", "task")
        self.retry_policy = RetryPolicy(retries, retry_delay_seconds, retry_jitter_factor)
        self.retries = retries
        self.retry_delay_seconds = retry_delay_seconds
        self.retry_jitter_factor = retry_jitter_factor
        if timeout_seconds is not None and (
                not isinstance(timeout_seconds, (int, float)) or timeout_seconds <= 0):
            raise ConfigurationError(f"timeout_seconds must be a positive number, got {timeout_seconds!r}")
        self.timeout_seconds = timeout_seconds
        self.executor = parse_executor(executor)
        self.runtime_tier = parse_tier(runtime_tier)
        if memory_mb is not None and (not isinstance(memory_mb, int) or memory_mb <= 0):
            raise ConfigurationError(f"memory_mb must be a positive integer, got {memory_mb!r}")
        self.memory_mb = memory_mb
        if isinstance(tags, str):
            tags = [tags]
        self.tags = tuple(tags or ())
        self.hooks = normalize_hooks(hooks)
        self.description = description if description is not None else inspect.getdoc(fn)
        self._call = _sync_callable(fn)
        functools.update_wrapper(self, fn, updated=())

    @property
    def function_ref(self) -> str:
        """`module:qualname`; a script's `__main__` is named by its file, as a worker imports it."""
        module = self.fn.__module__
        if module == "__main__":
            import sys
            main_file = getattr(sys.modules.get("__main__"), "__file__", None)
            if main_file:
                from pathlib import Path
                module = Path(main_file).stem
        return f"{module}:{self.fn.__qualname__}"

    def __call__(self, *args: Any, wait_for: Any = None, **kwargs: Any) -> Any:
        trace = active_trace()
        if trace is None:
            return self._call(*args, **kwargs)
        return trace.add(self, args, kwargs, mapped=False, wait_for=wait_for)

    def map(self, items: Any, *args: Any, wait_for: Any = None, **kwargs: Any) -> Any:
        """One task run per item of `items` (a list or a TaskOutput); the result is a
        list in item order. Extra arguments are passed unchanged to every run."""
        trace = active_trace()
        if trace is None:
            return [self._call(item, *args, **kwargs) for item in items]
        return trace.add(self, (items, *args), kwargs, mapped=True, wait_for=wait_for)

    def with_options(self, **changes: Any) -> "Task":
        options = dict(name=self.name, retries=self.retries,
                       retry_delay_seconds=self.retry_delay_seconds,
                       retry_jitter_factor=self.retry_jitter_factor,
                       timeout_seconds=self.timeout_seconds, executor=self.executor,
                       runtime_tier=self.runtime_tier, memory_mb=self.memory_mb,
                       tags=self.tags, hooks=self.hooks, description=self.description)
        options.update(changes)
        return Task(self.fn, **options)

    def __repr__(self) -> str:
        return f"Task({self.name!r})"


def _sync_callable(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Coroutine functions run to completion on the task's own thread."""
    if inspect.iscoroutinefunction(fn):
        import asyncio

        @functools.wraps(fn)
        def run_coroutine(*args: Any, **kwargs: Any) -> Any:
            return asyncio.run(fn(*args, **kwargs))
        return run_coroutine
    return fn


def task(fn: Callable[..., Any] | None = None, /, **options: Any) -> Any:
    """Decorate a function as a task: `@task` or `@task(retries=3, timeout_seconds=60)`."""
    if fn is None:
        return lambda f: Task(f, **options)
    return Task(fn, **options)


__all__ = ["Task", "TaskOutput", "task"]
