"""FlowSpec documents from outside (users, the API): malformed input gives SpecError only.

Fuzzes FlowSpec.from_json / from_dict with arbitrary JSON and with FlowSpec-shaped
documents whose fields have the wrong shapes.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from json_strategies import JSON_SCALARS, JSON_VALUES

from dagy.domain.errors import DanglingReferenceError, SpecError
from dagy.domain.flowspec import FlowSpec, ParameterSpec, TaskSpec


def test_duplicate_parameter_raises_spec_error():
    with pytest.raises(SpecError) as info:
        FlowSpec("f", parameters=[ParameterSpec("p"), ParameterSpec("q"), ParameterSpec("p", "string")])
    assert "'p'" in str(info.value)


def test_empty_task_id_raises_spec_error():
    with pytest.raises(SpecError):
        FlowSpec("f", [TaskSpec("", "x")])


@pytest.mark.parametrize("text", ["", "{", "not json", '{"name": "f",}', "[1, 2", b"\xff\xfe"])
def test_invalid_json_raises_spec_error(text):
    with pytest.raises(SpecError):
        FlowSpec.from_json(text)


def test_deeply_nested_json_raises_spec_error():
    with pytest.raises(SpecError):
        FlowSpec.from_json("[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize("text", ["[]", "[1]", "1", "1.5", '"name"', "null", "true"])
def test_non_object_json_raises_spec_error(text):
    with pytest.raises(SpecError):
        FlowSpec.from_json(text)


@pytest.mark.parametrize("doc", [{}, {"tasks": []}, {"Name": "f"}, {"version": "1"}])
def test_missing_name_raises_spec_error(doc):
    with pytest.raises(SpecError):
        FlowSpec.from_dict(doc)
    with pytest.raises(SpecError):
        FlowSpec.from_json(json.dumps(doc))


def test_task_entry_without_id_raises_spec_error():
    with pytest.raises(SpecError):
        FlowSpec.from_dict({"name": "f", "tasks": [{"name": "a"}]})


# --------------------------------------------------------------------------- fuzzing


@given(JSON_VALUES)
def test_arbitrary_json_raises_only_spec_error(value):
    for attempt in (lambda: FlowSpec.from_dict(value), lambda: FlowSpec.from_json(json.dumps(value))):
        try:
            spec = attempt()
        except SpecError:
            continue
        assert isinstance(spec, FlowSpec)


@given(st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=5), JSON_VALUES)
def test_arbitrary_object_with_a_name_raises_only_spec_error(extra, name):
    doc = dict(extra, name=name)
    try:
        spec = FlowSpec.from_json(json.dumps(doc))
    except SpecError:
        return
    assert isinstance(spec, FlowSpec)


# Documents shaped like a FlowSpec, with every known key holding a random JSON value.
_TASK_KEYS = ["id", "name", "function", "upstream", "inputs", "mapped", "retries",
              "retry_delay_seconds", "tags", "description"]
_IDS = st.sampled_from(["a", "b", "c"])
_FIELD_VALUES = JSON_VALUES | _IDS | st.lists(_IDS | JSON_SCALARS, max_size=3)
_TASK_ENTRIES = st.dictionaries(st.sampled_from(_TASK_KEYS), _FIELD_VALUES, max_size=5) | JSON_SCALARS
_SHAPED_DOCS = st.fixed_dictionaries(
    {"name": st.text(max_size=4)},
    optional={
        "tasks": st.lists(_TASK_ENTRIES, max_size=4) | JSON_SCALARS,
        "parameters": st.lists(
            st.dictionaries(st.sampled_from(["name", "type", "required", "default"]),
                            _FIELD_VALUES, max_size=4) | JSON_SCALARS, max_size=3) | JSON_SCALARS,
        "edges": st.lists(st.lists(_IDS | JSON_SCALARS, max_size=3) | JSON_SCALARS, max_size=3)
        | JSON_SCALARS,
        "outputs": st.lists(_IDS | JSON_VALUES, max_size=3) | JSON_SCALARS,
        "tags": JSON_VALUES,
    },
)


@example({"name": "f", "tasks": 0})
@given(_SHAPED_DOCS)
def test_flowspec_shaped_json_raises_only_spec_error(doc):
    try:
        spec = FlowSpec.from_json(json.dumps(doc))
    except SpecError:
        return
    assert isinstance(spec, FlowSpec)


@pytest.mark.parametrize("doc", [
    pytest.param({"name": "f", "tasks": 0}, id="tasks-not-a-list"),
    pytest.param({"name": "f", "tasks": ["a"]}, id="task-entry-not-an-object"),
    pytest.param({"name": "f", "parameters": [{}]}, id="parameter-without-name"),
    pytest.param({"name": "f", "parameters": [1]}, id="parameter-not-an-object"),
    pytest.param({"name": "f", "edges": [1]}, id="edge-not-a-list"),
    pytest.param({"name": "f", "edges": [["a", "b", "c"]]}, id="edge-of-three"),
    pytest.param({"name": "f", "tags": [1]}, id="tags-not-an-object"),
    pytest.param({"name": "f", "tasks": [{"id": ["a"]}]}, id="list-valued-task-id"),
    pytest.param({"name": "f", "tasks": [{"id": "a", "upstream": [["b"]]}]}, id="list-in-upstream"),
    pytest.param({"name": "f", "outputs": [["a"]]}, id="list-in-outputs"),
])
def test_malformed_document_raises_spec_error(doc):
    with pytest.raises(SpecError):
        FlowSpec.from_dict(doc)


def test_top_level_edge_to_unknown_task_raises_dangling_reference():
    doc = {"name": "f", "tasks": [{"id": "a"}], "edges": [["a", "zzz"]]}
    with pytest.raises(DanglingReferenceError):
        FlowSpec.from_dict(doc)


def test_string_upstream_is_rejected():
    doc = {"name": "f", "tasks": [{"id": "b"}, {"id": "c"}, {"id": "a", "upstream": "bc"}]}
    with pytest.raises(SpecError):
        FlowSpec.from_dict(doc)
