"""FlowSpec: construction, topological order, edges, JSON round trips and errors.

Random DAGs are acyclic by construction: every task's upstream is a subset of the
tasks generated before it.
"""

from __future__ import annotations

import json
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from json_strategies import JSON_VALUES

from dagy.domain.errors import (
    CycleError,
    DanglingReferenceError,
    DuplicateTaskIdError,
    SpecError,
)
from dagy.domain.flowspec import Edge, FlowSpec, ParameterSpec, TaskSpec
from dagy.domain.parameters import JSON_TYPES
from dagy.domain.tiers import EXECUTORS, RuntimeTier

# Task ids use an alphabet without spaces or ">" so a cycle message can be split on " -> ".
ID_ALPHABET = string.ascii_letters + string.digits + "_-."
IDS = st.text(alphabet=ID_ALPHABET, min_size=1, max_size=8)
# Names deliberately collide often: only ids must be unique.
NAMES = st.sampled_from(["extract", "transform", "load", "t"]) | st.text(max_size=6)



FAST = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def parameter_specs(draw) -> list[ParameterSpec]:
    names = draw(st.lists(st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=6),
                          max_size=4, unique=True))
    return [
        ParameterSpec(
            name=name,
            type=draw(st.sampled_from(JSON_TYPES)),
            required=draw(st.booleans()),
            default=draw(JSON_VALUES),
            nullable=draw(st.booleans()),
        )
        for name in names
    ]


def _input_value(draw, upstream: list[str], params: list[str]) -> Any:
    choices = ["literal"]
    if upstream:
        choices.append("ref")
    if params:
        choices.append("param")
    kind = draw(st.sampled_from(choices))
    if kind == "ref":
        out: dict[str, Any] = {"$ref": draw(st.sampled_from(upstream))}
        path = draw(st.lists(st.integers(0, 5) | st.text(max_size=3), max_size=2))
        if path:
            out["path"] = path
        return out
    if kind == "param":
        return {"$param": draw(st.sampled_from(params))}
    return draw(JSON_VALUES)


@st.composite
def task_list(draw, min_tasks: int = 0, max_tasks: int = 40, params: tuple[str, ...] = ()):
    ids = draw(st.lists(IDS, min_size=min_tasks, max_size=max_tasks, unique=True))
    tasks = []
    for index, task_id in enumerate(ids):
        earlier = ids[:index]
        upstream = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=4)) if earlier else []
        args = [_input_value(draw, upstream, list(params)) for _ in range(draw(st.integers(0, 2)))]
        kwargs = {f"k{i}": _input_value(draw, upstream, list(params))
                  for i in range(draw(st.integers(0, 2)))}
        delay = draw(st.integers(0, 60) | st.floats(0, 60)
                     | st.lists(st.integers(0, 60) | st.floats(0, 60), max_size=3))
        tasks.append(TaskSpec(
            id=task_id,
            name=draw(NAMES),
            function=f"module.{task_id}",
            upstream=tuple(upstream),
            inputs={"args": args, "kwargs": kwargs},
            mapped=draw(st.booleans()),
            retries=draw(st.integers(0, 5)),
            retry_delay_seconds=delay,
            retry_jitter_factor=draw(st.none() | st.floats(0, 2)),
            timeout_seconds=draw(st.none() | st.floats(0.1, 3600)),
            executor=draw(st.none() | st.sampled_from(EXECUTORS)),
            runtime_tier=draw(st.none() | st.sampled_from([t.value for t in RuntimeTier])),
            memory_mb=draw(st.none() | st.integers(128, 10240)),
            tags=tuple(draw(st.lists(st.text(max_size=5), max_size=3))),
            description=draw(st.none() | st.text(max_size=8)),
        ))
    return tasks


@st.composite
def flow_kwargs(draw, min_tasks: int = 0, max_tasks: int = 40) -> dict[str, Any]:
    parameters = draw(parameter_specs())
    tasks = draw(task_list(min_tasks, max_tasks, tuple(p.name for p in parameters)))
    ids = [t.id for t in tasks]
    outputs = draw(st.lists(st.sampled_from(ids), unique=True, max_size=3)) if ids else []
    return dict(
        name=draw(st.text(min_size=1, max_size=10)),
        tasks=tasks,
        parameters=parameters,
        outputs=outputs,
        output_template=(
            {"$ref": outputs[0]} if outputs and draw(st.booleans()) else draw(JSON_VALUES)),
        version=draw(st.sampled_from(["latest", "1.0", "2024-01-01"])),
        description=draw(st.none() | st.text(max_size=10)),
        namespace=draw(st.none() | st.text(max_size=6)),
        tags=draw(st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=3)),
        default_executor=draw(st.none() | st.sampled_from(EXECUTORS)),
        runtime_tier=draw(st.none() | st.sampled_from([t.value for t in RuntimeTier])),
    )


@st.composite
def skeleton_tasks(draw, min_tasks: int = 0, max_tasks: int = 40) -> list[TaskSpec]:
    """Only ids, names and upstream: cheap to generate, enough for graph properties."""
    ids = draw(st.lists(IDS, min_size=min_tasks, max_size=max_tasks, unique=True))
    tasks = []
    for index, task_id in enumerate(ids):
        earlier = ids[:index]
        upstream = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=4)) if earlier else []
        tasks.append(TaskSpec(id=task_id, name=draw(NAMES), upstream=tuple(upstream)))
    return tasks


def dags(min_tasks: int = 0, max_tasks: int = 40):
    return skeleton_tasks(min_tasks, max_tasks).map(lambda tasks: FlowSpec("f", tasks))


def _replace(task: TaskSpec, **changes: Any) -> TaskSpec:
    data = task.to_dict()
    data.update(changes)
    return TaskSpec.from_dict(data)


def _ancestors(spec_tasks: list[TaskSpec], task_id: str) -> set[str]:
    by_id = {t.id: t for t in spec_tasks}
    seen: set[str] = set()
    stack = list(by_id[task_id].upstream)
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(by_id[node].upstream)
    return seen


# --------------------------------------------------------------------------- structure


@FAST
@given(flow_kwargs())
def test_random_flow_constructs_and_round_trips_through_json(kwargs):
    spec = FlowSpec(**kwargs)
    assert [t.id for t in spec.tasks] == [t.id for t in kwargs["tasks"]]
    assert [p.name for p in spec.parameters] == [p.name for p in kwargs["parameters"]]
    assert spec.outputs == kwargs["outputs"]

    text = spec.to_json()
    again = FlowSpec.from_json(text)
    assert again == spec
    assert again.to_json() == text
    assert again.topological_order() == spec.topological_order()

    indented = spec.to_json(indent=2)
    again = FlowSpec.from_json(indented)
    assert again == spec
    assert again.to_json(indent=2) == indented
    assert again.to_json() == text

    assert FlowSpec.from_json(text.encode("utf-8")) == spec

    # Deterministic: the same inputs always give the same text.
    twin = FlowSpec(**kwargs)
    assert twin == spec
    assert spec.to_json() == twin.to_json() == text
    assert twin.to_json(indent=2) == indented
    # Canonical: sorted keys, compact separators.
    assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))


@FAST
@given(dags())
def test_topological_order_edges_and_downstream(spec):
    order = spec.topological_order()
    assert sorted(order) == sorted(t.id for t in spec.tasks)
    assert len(set(order)) == len(order)
    position = {tid: i for i, tid in enumerate(order)}
    for up, down in spec.edges:
        assert position[up] < position[down], (up, down)

    order.append("mutated")
    assert "mutated" not in spec.topological_order(), "the order must be returned as a copy"

    expected = {(up, t.id) for t in spec.tasks for up in t.upstream}
    assert set(spec.edges) == expected
    assert len(spec.edges) == len(expected)
    assert all(isinstance(e, Edge) for e in spec.edges)
    # Documented: in task order.
    assert spec.edges == [Edge(up, t.id) for t in spec.tasks for up in t.upstream]

    downstream = spec.downstream()
    assert set(downstream) == {t.id for t in spec.tasks}
    assert {(up, d) for up, ds in downstream.items() for d in ds} == expected


@FAST
@given(dags())
def test_edges_only_in_top_level_list_are_honored(spec):
    data = json.loads(spec.to_json())
    for task in data["tasks"]:
        task["upstream"] = []
    again = FlowSpec.from_dict(data)
    assert set(again.edges) == set(spec.edges)
    position = {tid: i for i, tid in enumerate(again.topological_order())}
    assert all(position[u] < position[d] for u, d in spec.edges)


def test_top_level_edge_is_added_to_task_upstream():
    doc = {
        "name": "f",
        "tasks": [{"id": "a"}, {"id": "b", "upstream": []}, {"id": "c", "upstream": ["a"]}],
        "edges": [["a", "b"], ["b", "c"]],
    }
    spec = FlowSpec.from_json(json.dumps(doc))
    assert spec.tasks["b"].upstream == ("a",)
    assert spec.tasks["c"].upstream == ("a", "b")
    assert set(spec.edges) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert spec.topological_order() == ["a", "b", "c"]


def test_top_level_edge_can_create_a_cycle():
    doc = {"name": "f", "tasks": [{"id": "a"}, {"id": "b", "upstream": ["a"]}],
           "edges": [["b", "a"]]}
    with pytest.raises(CycleError):
        FlowSpec.from_dict(doc)


def test_minimal_document_uses_defaults():
    spec = FlowSpec.from_json('{"name": "f", "tasks": [{"id": "a"}]}')
    task = spec.tasks["a"]
    assert task.name == "a"
    assert task.upstream == ()
    assert task.inputs == {"args": [], "kwargs": {}}
    assert spec.version == "latest"
    assert spec.tags == {}


# --------------------------------------------------------------------------- KeyedList


@FAST
@given(dags(min_tasks=1), parameter_specs())
def test_keyed_list_lookups(spec, parameters):
    spec = FlowSpec(spec.name, spec.tasks, parameters)
    for index, task in enumerate(spec.tasks):
        assert spec.tasks[task.id] is task
        assert task.id in spec.tasks
        assert spec.tasks[index] is task
        assert spec.tasks.get(task.id) is task
        assert task in spec.tasks
    assert spec.tasks.keys() == [t.id for t in spec.tasks]
    assert spec.tasks.items() == [(t.id, t) for t in spec.tasks]
    assert spec.tasks.values() == list(spec.tasks)
    for param in spec.parameters:
        assert spec.parameters[param.name] is param
        assert param.name in spec.parameters
    missing = "no such id!"  # "!" and " " are outside the id and parameter alphabets
    assert missing not in spec.tasks
    assert spec.tasks.get(missing) is None
    assert spec.tasks.get(missing, 7) == 7
    with pytest.raises(KeyError):
        spec.tasks[missing]
    assert missing not in spec.parameters
    with pytest.raises(KeyError):
        spec.parameters[missing]


def test_keyed_list_slices_and_int_indexes_still_work():
    spec = FlowSpec("f", [TaskSpec("a", "a"), TaskSpec("b", "b", upstream=("a",))],
                    [ParameterSpec("p", "integer")])
    assert [t.id for t in spec.tasks[0:2]] == ["a", "b"]
    assert spec.tasks[-1].id == "b"
    assert spec.parameters["p"].type == "integer"
    with pytest.raises(IndexError):
        spec.tasks[5]
    with pytest.raises(KeyError):
        spec.parameters["q"]


# --------------------------------------------------------------------------- errors


@FAST
@given(st.data(), skeleton_tasks(min_tasks=1, max_tasks=15))
def test_duplicate_task_id_raises(data, tasks):
    original = data.draw(st.sampled_from(tasks))
    copy = _replace(original, name="copy", upstream=[])
    position = data.draw(st.integers(0, len(tasks)))
    with pytest.raises(DuplicateTaskIdError) as info:
        FlowSpec("f", tasks[:position] + [copy] + tasks[position:])
    assert repr(original.id) in str(info.value)
    assert isinstance(info.value, SpecError)


@FAST
@given(st.data(), skeleton_tasks(min_tasks=1, max_tasks=15),
       st.text(alphabet=ID_ALPHABET + "! ", min_size=1, max_size=8).map(lambda s: "!" + s))
def test_unknown_upstream_raises_dangling_reference_naming_both_ids(data, tasks, unknown):
    victim = data.draw(st.sampled_from(tasks))
    where = data.draw(st.integers(0, len(victim.upstream)))
    upstream = list(victim.upstream)
    upstream.insert(where, unknown)
    tasks = [_replace(t, upstream=upstream) if t.id == victim.id else t for t in tasks]
    with pytest.raises(DanglingReferenceError) as info:
        FlowSpec("f", tasks)
    message = str(info.value)
    assert repr(victim.id) in message
    assert repr(unknown) in message


@FAST
@given(skeleton_tasks(max_tasks=10), st.text(min_size=1, max_size=8).map(lambda s: "!" + s))
def test_output_naming_unknown_task_raises_dangling_reference(tasks, unknown):
    outputs = [t.id for t in tasks[:1]] + [unknown]
    with pytest.raises(DanglingReferenceError) as info:
        FlowSpec("f", tasks, outputs=outputs)
    assert repr(unknown) in str(info.value)


@FAST
@given(st.data(), skeleton_tasks(min_tasks=1, max_tasks=15))
def test_self_dependency_raises_cycle_error(data, tasks):
    victim = data.draw(st.sampled_from(tasks))
    tasks = [_replace(t, upstream=list(t.upstream) + [t.id]) if t.id == victim.id else t
             for t in tasks]
    with pytest.raises(CycleError) as info:
        FlowSpec("f", tasks)
    assert repr(victim.id) in str(info.value)


def _cycle_path(message: str) -> list[str]:
    prefix = "cycle in flow: "
    assert message.startswith(prefix), message
    return message[len(prefix):].split(" -> ")


@FAST
@given(st.data(), skeleton_tasks(min_tasks=2, max_tasks=25))
def test_back_edge_raises_cycle_error_listing_the_cycle(data, tasks):
    # Pick a task that has ancestors, and make one of those ancestors depend on it.
    candidates = [t.id for t in tasks if t.upstream]
    assume(candidates)
    later = data.draw(st.sampled_from(candidates))
    earlier = data.draw(st.sampled_from(sorted(_ancestors(tasks, later))))
    tasks = [_replace(t, upstream=list(t.upstream) + [later]) if t.id == earlier else t
             for t in tasks]
    with pytest.raises(CycleError) as info:
        FlowSpec("f", tasks)
    path = _cycle_path(str(info.value))
    by_id = {t.id: t for t in tasks}
    assert len(path) >= 3
    assert path[0] == path[-1]
    assert len(set(path[:-1])) == len(path) - 1, "a cycle visits each node once"
    for before, after in zip(path, path[1:]):
        assert before in by_id[after].upstream, f"{before} -> {after} is not a dependency"


def test_two_node_cycle_message():
    tasks = [TaskSpec("a", "a", upstream=("b",)), TaskSpec("b", "b", upstream=("a",))]
    with pytest.raises(CycleError) as info:
        FlowSpec("f", tasks)
    path = _cycle_path(str(info.value))
    assert path in (["a", "b", "a"], ["b", "a", "b"])
