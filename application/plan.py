"""The executable form of a traced flow: the FlowSpec plus callables and live inputs.

Inputs are compiled once into small resolver functions so that starting a task costs
a few attribute look-ups, not a walk of its argument tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from dagy.application.hooks import Hook
from dagy.domain.flowspec import FlowSpec
from dagy.domain.refs import ParamRef, Ref
from dagy.domain.retry import RetryPolicy

Resolver = Callable[[dict, dict], Any]


class _Const:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def compile_template(template: Any) -> Any:
    """Return `_Const(value)` when the template holds no refs, else a resolver."""
    if isinstance(template, Ref):
        tid, path = template.task_id, template.path
        if not path:
            return lambda results, params: results[tid]

        def resolve_path(results: dict, params: dict) -> Any:
            value = results[tid]
            for key in path:
                value = value[key]
            return value
        return resolve_path
    if isinstance(template, ParamRef):
        name = template.name
        return lambda results, params: params[name]
    if isinstance(template, (list, tuple, set, frozenset)):
        parts = [compile_template(v) for v in template]
        if all(isinstance(p, _Const) for p in parts):
            return _Const(template)
        kind = type(template)
        fns = [_as_resolver(p) for p in parts]
        return lambda results, params: kind([f(results, params) for f in fns])
    if isinstance(template, dict):
        parts_d = {k: compile_template(v) for k, v in template.items()}
        if all(isinstance(p, _Const) for p in parts_d.values()):
            return _Const(template)
        fns_d = [(k, _as_resolver(p)) for k, p in parts_d.items()]
        return lambda results, params: {k: f(results, params) for k, f in fns_d}
    return _Const(template)


def _as_resolver(compiled: Any) -> Resolver:
    if isinstance(compiled, _Const):
        value = compiled.value
        return lambda results, params: value
    return compiled


def compile_call(args: tuple, kwargs: dict) -> Callable[[dict, dict], tuple[tuple, dict]]:
    """One resolver for a whole call: returns (args, kwargs) with refs replaced."""
    c_args = compile_template(tuple(args))
    c_kwargs = compile_template(dict(kwargs))
    if isinstance(c_args, _Const) and isinstance(c_kwargs, _Const):
        fixed = (c_args.value, c_kwargs.value)
        return lambda results, params: fixed
    r_args, r_kwargs = _as_resolver(c_args), _as_resolver(c_kwargs)
    return lambda results, params: (r_args(results, params), r_kwargs(results, params))


@dataclass
class PlannedTask:
    """A node of the plan: what to call, with what, and under which policies."""

    id: str
    name: str
    fn: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    upstream: tuple[str, ...] = ()
    mapped: bool = False
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout_seconds: float | None = None
    executor: str | None = None
    hooks: tuple[Hook, ...] = ()
    log_prints: bool = True  # print() inside the task goes into the run's logs
    resolve: Callable[[dict, dict], tuple[tuple, dict]] | None = None

    def __post_init__(self) -> None:
        if self.resolve is None:
            self.resolve = compile_call(self.args, self.kwargs)


@dataclass
class ExecutionPlan:
    """Everything the runner needs to execute one flow in-process."""

    spec: FlowSpec
    tasks: dict[str, PlannedTask]
    output: Any = None
    hooks: tuple[Hook, ...] = ()
    parameter_defaults: dict[str, Any] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.order:
            self.order = self.spec.topological_order()
        self.resolve_output = _as_resolver(compile_template(self.output))
