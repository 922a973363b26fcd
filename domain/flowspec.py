"""The static DAG of a flow: tasks, edges, parameters, outputs.

A FlowSpec is pure data. It is built by tracing a `@flow` function, stored by the
control plane, translated to Step Functions, and round-trips exactly through JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, NamedTuple

from dagy.domain.errors import CycleError, DanglingReferenceError, DuplicateTaskIdError, SpecError
from dagy.domain.flowspec_schema import check_document
from dagy.domain.refs import template_task_ids

SPEC_FORMAT_VERSION = 1


class Edge(NamedTuple):
    """`source` must finish before `target` starts."""

    source: str
    target: str


class KeyedList(list):
    """A list of specs that can also be looked up by key (task id, parameter name)."""

    _key = "name"

    def _index(self) -> dict[str, Any]:
        return {getattr(item, self._key): item for item in self}

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            for item in self:
                if getattr(item, self._key) == key:
                    return item
            raise KeyError(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            return any(getattr(item, self._key) == key for item in self)
        return super().__contains__(key)

    def get(self, key: str, default: Any = None) -> Any:
        return self._index().get(key, default)

    def keys(self) -> list[str]:
        return [getattr(item, self._key) for item in self]

    def values(self) -> list[Any]:
        return list(self)

    def items(self) -> list[tuple[str, Any]]:
        return [(getattr(item, self._key), item) for item in self]


class TaskList(KeyedList):
    _key = "id"


class ParameterList(KeyedList):
    _key = "name"


@dataclass(frozen=True)
class ParameterSpec:
    """A flow parameter. `type` is a JSON type name or "any"."""

    name: str
    type: str = "any"
    required: bool = True
    default: Any = None
    nullable: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "required": self.required,
                "default": self.default, "nullable": self.nullable}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ParameterSpec":
        return cls(name=data["name"], type=data.get("type", "any"),
                   required=data.get("required", True), default=data.get("default"),
                   nullable=data.get("nullable", False))


@dataclass(frozen=True)
class TaskSpec:
    """One node. `inputs` is the JSON form of its arguments (see dagy.domain.refs)."""

    id: str
    name: str
    function: str = ""
    upstream: tuple[str, ...] = ()
    inputs: dict[str, Any] = field(default_factory=lambda: {"args": [], "kwargs": {}})
    mapped: bool = False
    retries: int = 0
    retry_delay_seconds: Any = 0
    retry_jitter_factor: float | None = None
    timeout_seconds: float | None = None
    executor: str | None = None
    runtime_tier: str | None = None
    memory_mb: int | None = None
    tags: tuple[str, ...] = ()
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "function": self.function,
            "upstream": list(self.upstream), "inputs": self.inputs, "mapped": self.mapped,
            "retries": self.retries, "retry_delay_seconds": self.retry_delay_seconds,
            "retry_jitter_factor": self.retry_jitter_factor,
            "timeout_seconds": self.timeout_seconds, "executor": self.executor,
            "runtime_tier": self.runtime_tier, "memory_mb": self.memory_mb,
            "tags": list(self.tags), "description": self.description,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TaskSpec":
        try:
            delay = data.get("retry_delay_seconds", 0)
            return cls(
                id=data["id"], name=data.get("name", data["id"]),
                function=data.get("function", ""), upstream=tuple(data.get("upstream", ())),
                inputs=data.get("inputs", {"args": [], "kwargs": {}}),
                mapped=bool(data.get("mapped", False)), retries=data.get("retries", 0),
                retry_delay_seconds=list(delay) if isinstance(delay, list) else delay,
                retry_jitter_factor=data.get("retry_jitter_factor"),
                timeout_seconds=data.get("timeout_seconds"), executor=data.get("executor"),
                runtime_tier=data.get("runtime_tier"), memory_mb=data.get("memory_mb"),
                tags=tuple(data.get("tags", ())), description=data.get("description"),
            )
        except (KeyError, TypeError) as exc:
            raise SpecError(f"invalid task entry {data!r}: missing or malformed {exc}") from None


class FlowSpec:
    """A validated DAG. Construction raises SpecError on duplicates, dangling refs, cycles."""

    def __init__(
        self,
        name: str,
        tasks: Iterable[TaskSpec] = (),
        parameters: Iterable[ParameterSpec] = (),
        outputs: Iterable[str] = (),
        output_template: Any = None,
        version: str = "latest",
        description: str | None = None,
        namespace: str | None = None,
        tags: dict[str, str] | None = None,
        default_executor: str | None = None,
        runtime_tier: str | None = None,
    ) -> None:
        self.name = name
        self.version = version
        self.description = description
        self.namespace = namespace
        self.tags = dict(tags or {})
        self.default_executor = default_executor
        self.runtime_tier = runtime_tier
        self.tasks = TaskList(tasks)
        self.parameters = ParameterList(parameters)
        self.outputs = list(outputs)
        self.output_template = output_template
        self._order = validate(self.tasks, self.parameters, self.outputs)

    @property
    def edges(self) -> list[Edge]:
        """Task-to-task dependencies, in task order."""
        return [Edge(up, task.id) for task in self.tasks for up in task.upstream]

    def topological_order(self) -> list[str]:
        """Task ids so that every task comes after all of its upstream tasks."""
        return list(self._order)

    def downstream(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {t.id: [] for t in self.tasks}
        for up, down in self.edges:
            result[up].append(down)
        return result

    def to_dict(self) -> dict[str, Any]:
        return {
            "spec_version": SPEC_FORMAT_VERSION, "name": self.name, "version": self.version,
            "description": self.description, "namespace": self.namespace, "tags": self.tags,
            "default_executor": self.default_executor, "runtime_tier": self.runtime_tier,
            "parameters": [p.to_dict() for p in self.parameters],
            "tasks": [t.to_dict() for t in self.tasks],
            "edges": [list(e) for e in self.edges],
            "outputs": self.outputs, "output_template": self.output_template,
        }

    def to_json(self, indent: int | None = None) -> str:
        """Canonical JSON: sorted keys, so equal specs give equal text."""
        separators = (",", ":") if indent is None else (",", ": ")
        return json.dumps(self.to_dict(), sort_keys=True, indent=indent, separators=separators)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "FlowSpec":
        check_document(data)
        tasks = [TaskSpec.from_dict(t) for t in data.get("tasks", [])]
        declared = {tuple(e) for e in data.get("edges", [])}
        derived = {(up, t.id) for t in tasks for up in t.upstream}
        known = {t.id for t in tasks}
        for up, down in sorted(declared - derived):
            if down not in known:
                raise DanglingReferenceError(f"edge {up!r} -> {down!r} targets unknown task {down!r}")
        if declared - derived:
            # Edges listed only at the top level still count as dependencies.
            extra: dict[str, list[str]] = {}
            for up, down in sorted(declared - derived):
                extra.setdefault(down, []).append(up)
            tasks = [
                _with_upstream(t, extra[t.id]) if t.id in extra else t for t in tasks
            ]
        return cls(
            name=data["name"], version=data.get("version", "latest"),
            description=data.get("description"), namespace=data.get("namespace"),
            tags=data.get("tags") or {}, default_executor=data.get("default_executor"),
            runtime_tier=data.get("runtime_tier"),
            parameters=[ParameterSpec.from_dict(p) for p in data.get("parameters", [])],
            tasks=tasks, outputs=data.get("outputs", []),
            output_template=data.get("output_template"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> "FlowSpec":
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise SpecError(f"FlowSpec is not valid JSON: {str(exc)[:200]}") from None
        return cls.from_dict(data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FlowSpec) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"FlowSpec(name={self.name!r}, version={self.version!r}, tasks={len(self.tasks)})"


def _with_upstream(task: TaskSpec, extra: list[str]) -> TaskSpec:
    data = task.to_dict()
    data["upstream"] = list(task.upstream) + [u for u in extra if u not in task.upstream]
    return TaskSpec.from_dict(data)


def validate(tasks: list[TaskSpec], parameters: list[ParameterSpec], outputs: list[str]) -> list[str]:
    """Check ids, references and acyclicity; return a topological order (Kahn)."""
    ids: dict[str, TaskSpec] = {}
    for task in tasks:
        if not task.id:
            raise SpecError("a task has an empty id")
        if task.id in ids:
            raise DuplicateTaskIdError(f"duplicate task id {task.id!r}")
        ids[task.id] = task
    names = set()
    for param in parameters:
        if param.name in names:
            raise SpecError(f"duplicate parameter {param.name!r}")
        names.add(param.name)
    indegree = dict.fromkeys(ids, 0)
    children: dict[str, list[str]] = {tid: [] for tid in ids}
    for task in tasks:
        for up in task.upstream:
            if up not in ids:
                raise DanglingReferenceError(
                    f"task {task.id!r} depends on unknown task {up!r}")
            if up == task.id:
                raise CycleError(f"task {task.id!r} depends on itself")
            children[up].append(task.id)
            indegree[task.id] += 1
        for ref in template_task_ids(task.inputs):
            if ref not in ids:
                raise DanglingReferenceError(f"task {task.id!r} input refers to unknown task {ref!r}")
    for out in outputs:
        if out not in ids:
            raise DanglingReferenceError(f"flow output refers to unknown task {out!r}")
    order = [tid for tid, deg in indegree.items() if deg == 0]
    for tid in order:  # the list grows while we walk it
        for child in children[tid]:
            indegree[child] -= 1
            if indegree[child] == 0:
                order.append(child)
    if len(order) != len(ids):
        raise CycleError("cycle in flow: " + " -> ".join(_find_cycle(ids, indegree)))
    return order


def _find_cycle(tasks: dict[str, TaskSpec], indegree: dict[str, int]) -> list[str]:
    """Walk upstream from a node left on a cycle until a node repeats."""
    stuck = {tid for tid, deg in indegree.items() if deg > 0}
    node = next(iter(sorted(stuck)))
    seen: list[str] = []
    while node not in seen:
        seen.append(node)
        node = next(u for u in tasks[node].upstream if u in stuck)
    cycle = seen[seen.index(node):]
    cycle.reverse()
    return cycle + [cycle[0]]
