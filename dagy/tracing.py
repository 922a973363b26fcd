"""Tracing a flow body into a static graph, with no task body running.

While a flow is traced, each task call records a node and returns a TaskOutput;
flow parameters are FlowParameter placeholders. Both are refs (dagy.domain.refs), so
passing them as arguments (also inside lists and dicts) is what makes edges.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dagy.domain.errors import TracingError
from dagy.domain.refs import ParamRef, Ref, collect_refs

if TYPE_CHECKING:
    from dagy.task import Task


def _refuse_operator(symbol: str):
    """A dunder that raises the tracing guidance instead of Python's bare TypeError
    (`'FlowParameter' object cannot be interpreted as an integer`), which exits 1 and
    says nothing about why the value is missing."""
    def refuse(self, *_args: Any) -> Any:
        raise self._no_computing(symbol)
    refuse.__name__ = f"refuse_{symbol}"
    return refuse


class _NoValueWhileTraced:
    """Operations that would need the run-time value raise a TracingError saying why."""

    __slots__ = ()

    def _no_value(self, what: str) -> TracingError:
        return TracingError(
            f"cannot {what} {self._subject()} while the flow is traced: it has no value "
            f"yet; {self._advice}")

    def _no_computing(self, operation: str) -> TracingError:
        return TracingError(
            f"cannot use {operation} on {self._subject()}: {self._placeholders} are "
            f"placeholders while the flow is traced; do arithmetic inside a @task "
            f"(pass it the {self._passed} as an argument)")

    __add__ = __radd__ = _refuse_operator("+")
    __sub__ = __rsub__ = _refuse_operator("-")
    __mul__ = __rmul__ = _refuse_operator("*")
    __truediv__ = __rtruediv__ = _refuse_operator("/")
    __floordiv__ = __rfloordiv__ = _refuse_operator("//")
    __mod__ = __rmod__ = _refuse_operator("%")
    __pow__ = __rpow__ = _refuse_operator("**")
    __neg__ = _refuse_operator("unary -")
    __pos__ = _refuse_operator("unary +")
    __abs__ = _refuse_operator("abs()")
    __round__ = _refuse_operator("round()")
    # `3 > n` reaches n.__lt__, so the message names no single operator.
    __lt__ = __le__ = __gt__ = __ge__ = _refuse_operator("a comparison (<, <=, >, >=)")
    __index__ = _refuse_operator("range(), slicing or a list index")
    __int__ = _refuse_operator("int()")
    __float__ = _refuse_operator("float()")

    def __bool__(self) -> bool:
        raise self._no_value("test the truth of")

    def __iter__(self):
        raise self._no_value("iterate over")

    def __len__(self) -> int:
        raise self._no_value("take the length of")

    def __str__(self) -> str:
        raise self._no_value("format")

    def __format__(self, spec: str) -> str:
        raise self._no_value("format")


class TaskOutput(_NoValueWhileTraced, Ref):
    """What a task call returns while its flow is traced: a reference to its future result.

    Index it (`out["key"]`, `out[0]`) to pass part of the result to another task.
    It has no value during tracing, so it cannot be tested, iterated or formatted.
    """

    __slots__ = ("task_name", "_trace")
    _advice = "pass it to another task (or use task.map) instead"
    _placeholders, _passed = "task outputs", "output"

    def __init__(self, task_id: str, path: tuple = (), task_name: str = "", trace: Any = None):
        super().__init__(task_id, path)
        self.task_name = task_name or task_id
        self._trace = trace

    def _subject(self) -> str:
        return f"the output of task {self.task_id!r}"

    def __getitem__(self, key: Any) -> "TaskOutput":
        return TaskOutput(self.task_id, self.path + (key,), self.task_name, self._trace)

    def __repr__(self) -> str:
        suffix = "".join(f"[{k!r}]" for k in self.path)
        return f"TaskOutput({self.task_id!r}){suffix}"


class FlowParameter(_NoValueWhileTraced, ParamRef):
    """A flow parameter while the flow is traced. Its value exists only at run time."""

    __slots__ = ()
    _advice = "pass it to a task and use it there"
    _placeholders, _passed = "flow parameters", "parameter"

    def _subject(self) -> str:
        return f"flow parameter {self.name!r}"

    def __getitem__(self, key: Any) -> Any:
        """Unlike a TaskOutput, a parameter has no path to index into: its parts are
        only there at run time."""
        raise self._no_value(f"index [{key!r}] into")

    def __repr__(self) -> str:
        return f"FlowParameter({self.name!r})"


@dataclass
class TracedNode:
    id: str
    task: "Task"
    args: tuple
    kwargs: dict
    upstream: tuple[str, ...]
    mapped: bool


@dataclass
class Trace:
    """The graph recorded from one flow body."""

    flow_name: str
    nodes: dict[str, TracedNode] = field(default_factory=dict)
    output: Any = None
    _counts: dict[str, int] = field(default_factory=dict)

    def add(self, task: "Task", args: tuple, kwargs: dict, mapped: bool,
            wait_for: Any = None) -> TaskOutput:
        task_id = self._new_id(task.name)
        upstream: list[str] = []
        params: list[str] = []
        collect_refs(args, upstream, params)
        collect_refs(kwargs, upstream, params)
        if wait_for is not None:
            collect_refs(wait_for if isinstance(wait_for, (list, tuple)) else [wait_for],
                         upstream, params)
        for up in upstream:
            if up not in self.nodes:
                raise TracingError(
                    f"task {task.name!r} in flow {self.flow_name!r} received the output of "
                    f"{up!r}, which belongs to another flow")
        self.nodes[task_id] = TracedNode(task_id, task, args, kwargs,
                                         tuple(dict.fromkeys(upstream)), mapped)
        return TaskOutput(task_id, (), task.name, self)

    def _new_id(self, name: str) -> str:
        count = self._counts.get(name, 0)
        while True:
            count += 1
            candidate = name if count == 1 else f"{name}-{count}"
            if candidate not in self.nodes:
                self._counts[name] = count
                return candidate


_active: ContextVar[Trace | None] = ContextVar("dagy_active_trace", default=None)


def active_trace() -> Trace | None:
    return _active.get()


def run_traced(trace: Trace, fn: Any, kwargs: dict) -> Trace:
    """Call the flow body with the trace active; record its return value."""
    token = _active.set(trace)
    try:
        trace.output = fn(**kwargs)
    finally:
        _active.reset(token)
    return trace
