"""Input templates: JSON encoding of refs and containers, and collecting refs."""

from __future__ import annotations

import datetime
import decimal
import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dagy.domain.refs import ParamRef, Ref, collect_refs, decode_template, encode_template

TASK_IDS = st.text(min_size=1, max_size=6)
PARAM_NAMES = st.text(min_size=1, max_size=6)
PATHS = st.lists(st.integers(-3, 10) | st.text(max_size=4), max_size=3).map(tuple)
REFS = st.builds(Ref, TASK_IDS, PATHS)
PARAM_REFS = st.builds(ParamRef, PARAM_NAMES)

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
)
# Hashable values that survive a round trip as dict keys or set members, nested tuples
# and frozensets included.
HASHABLE = st.recursive(
    SCALARS | REFS | PARAM_REFS,
    lambda children: st.lists(children, max_size=3).map(tuple) | st.frozensets(children, max_size=3),
    max_leaves=6,
)


def json_round_trip(value: Any) -> Any:
    """What a template looks like after being stored as strict JSON and read back."""
    return json.loads(json.dumps(value, allow_nan=False))


def tuples_to_lists(value: Any) -> Any:
    """JSON has no tuple: a template's tuples come back as lists (Ref paths excepted)."""
    if isinstance(value, (list, tuple)):
        return [tuples_to_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: tuples_to_lists(v) for k, v in value.items()}
    return value


# --------------------------------------------------------------------------- round trips

JSON_TEMPLATES = st.recursive(
    SCALARS | REFS | PARAM_REFS,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@given(JSON_TEMPLATES)
def test_json_able_templates_round_trip(template):
    encoded = encode_template(template)
    assert json_round_trip(encoded) == encoded, "the encoding is plain JSON"
    assert decode_template(json_round_trip(encoded)) == template


TEMPLATES_WITH_TUPLES = st.recursive(
    SCALARS | REFS | PARAM_REFS,
    lambda children: st.lists(children, max_size=4)
    | st.lists(children, max_size=4).map(tuple)
    | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@given(TEMPLATES_WITH_TUPLES)
def test_tuples_are_encoded_as_lists(template):
    encoded = encode_template(template)
    assert decode_template(json_round_trip(encoded)) == tuples_to_lists(template)


@given(TASK_IDS, PATHS)
def test_ref_encoding(task_id, path):
    encoded = encode_template(Ref(task_id, path))
    if path:
        assert encoded == {"$ref": task_id, "path": list(path)}
    else:
        assert encoded == {"$ref": task_id}
    assert decode_template(json_round_trip(encoded)) == Ref(task_id, path)


@given(PARAM_NAMES)
def test_param_ref_encoding(name):
    assert encode_template(ParamRef(name)) == {"$param": name}
    assert decode_template({"$param": name}) == ParamRef(name)


@given(st.frozensets(HASHABLE, max_size=6), st.booleans())
def test_sets_are_encoded_as_sorted_set_objects(members, frozen):
    template = frozenset(members) if frozen else set(members)
    encoded = encode_template(template)
    assert set(encoded) == {"$set"}
    items = encoded["$set"]
    assert len(items) == len(members)
    assert items == sorted(items, key=repr), "members are sorted, so the text is deterministic"
    assert json_round_trip(encoded) == encoded
    decoded = decode_template(json_round_trip(encoded))
    assert isinstance(decoded, set)
    assert decoded == set(members)


@given(st.lists(HASHABLE, max_size=6))
def test_set_encoding_does_not_depend_on_insertion_order(members):
    members = list(set(members))  # distinct members (1 and True are one member in Python)
    forward, backward = set(), set()
    for m in members:
        forward.add(m)
    for m in reversed(members):
        backward.add(m)
    assert json.dumps(encode_template(forward)) == json.dumps(encode_template(backward))


NON_STR_KEY_DICTS = st.dictionaries(HASHABLE, JSON_TEMPLATES, min_size=1, max_size=4).filter(
    lambda d: not all(isinstance(k, str) for k in d))
DOLLAR_KEY_DICTS = st.dictionaries(
    st.text(max_size=4).map(lambda s: "$" + s), JSON_TEMPLATES, min_size=1, max_size=4)


@given(NON_STR_KEY_DICTS | DOLLAR_KEY_DICTS)
def test_dicts_with_non_str_or_dollar_keys_are_encoded_as_items(template):
    encoded = encode_template(template)
    assert set(encoded) == {"$items"}
    assert encoded["$items"] == [[encode_template(k), encode_template(v)] for k, v in template.items()]
    assert json_round_trip(encoded) == encoded
    assert decode_template(json_round_trip(encoded)) == template


def test_literal_dict_that_looks_like_a_ref_is_not_decoded_as_a_ref():
    template = {"$ref": "a", "path": [1]}
    encoded = encode_template(template)
    assert encoded == {"$items": [["$ref", "a"], ["path", [1]]]}
    assert decode_template(json_round_trip(encoded)) == template
    assert decode_template(json_round_trip({"$param": "p"})) == ParamRef("p")


def test_mixed_key_dict():
    template = {"a": 1, 2: Ref("t", ("x",)), None: [ParamRef("p")], (1, "b"): "tuple key"}
    encoded = encode_template(template)
    assert encoded == {"$items": [
        ["a", 1], [2, {"$ref": "t", "path": ["x"]}], [None, [{"$param": "p"}]],
        [[1, "b"], "tuple key"],
    ]}
    assert decode_template(json_round_trip(encoded)) == template


class _Opaque:
    def __repr__(self) -> str:
        return "<opaque thing>"


@pytest.mark.parametrize("value", [
    _Opaque(), object(), 1 + 2j, b"bytes", bytearray(b"x"), range(3),
    datetime.date(2024, 1, 2), decimal.Decimal("1.5"), len,
], ids=lambda v: type(v).__name__)
def test_non_json_objects_are_encoded_as_repr(value):
    encoded = encode_template(value)
    assert encoded == {"$repr": repr(value)}
    assert decode_template(json_round_trip(encoded)) == encoded, "decoding keeps the description"


def test_non_json_objects_inside_containers():
    thing = _Opaque()
    encoded = encode_template({"x": [thing, 1], "y": (thing,)})
    assert encoded == {"x": [{"$repr": "<opaque thing>"}, 1], "y": [{"$repr": "<opaque thing>"}]}


def test_nan_is_encoded_as_repr():
    assert encode_template(float("nan")) == {"$repr": "nan"}
    assert encode_template([1.0, float("nan")]) == [1.0, {"$repr": "nan"}]


@pytest.mark.parametrize("value", [float("inf"), float("-inf")], ids=["inf", "-inf"])
def test_infinities_are_encoded_as_strict_json(value):
    encoded = encode_template(value)
    assert encoded == {"$repr": repr(value)}
    json.dumps(encode_template([value, {"k": value}]), allow_nan=False)


@pytest.mark.parametrize("template", [
    {(1, (2, 3)): "nested tuple key"},
    {(1, (2, 3))},
    {frozenset({1}): "frozenset key"},
    {frozenset({1})},
], ids=["nested-tuple-key", "nested-tuple-member", "frozenset-key", "frozenset-member"])
def test_nested_hashable_keys_round_trip(template):
    decoded = decode_template(json_round_trip(encode_template(template)))
    assert decoded == template


# --------------------------------------------------------------------------- collect_refs


def _merge(parts):
    values = [p[0] for p in parts]
    refs = [r for p in parts for r in p[1]]
    params = [n for p in parts for n in p[2]]
    return values, refs, params


def _as_set(members):
    """A set of hashable leaves, with the refs it really holds after deduplication."""
    value = set(members)
    refs = [m.task_id for m in value if isinstance(m, Ref)]
    params = [m.name for m in value if isinstance(m, ParamRef)]
    return value, refs, params


TRACKED_LEAVES = (
    SCALARS.map(lambda v: (v, [], []))
    | REFS.map(lambda r: (r, [r.task_id], []))
    | PARAM_REFS.map(lambda p: (p, [], [p.name]))
)


def _tracked_containers(children):
    lists = st.lists(children, max_size=4).map(_merge)
    tuples = lists.map(lambda m: (tuple(m[0]), m[1], m[2]))
    # Keys are unique by construction (str and int keys alternate).
    dicts = lists.map(lambda m: ({(i if i % 2 else f"k{i}"): v for i, v in enumerate(m[0])},
                                 m[1], m[2]))
    sets = st.lists(SCALARS | REFS | PARAM_REFS, max_size=4).map(_as_set)
    return lists | tuples | dicts | sets


TRACKED_TEMPLATES = st.recursive(TRACKED_LEAVES, _tracked_containers, max_leaves=25)


@given(TRACKED_TEMPLATES)
def test_collect_refs_finds_exactly_the_refs(tracked):
    template, expected_refs, expected_params = tracked
    task_ids: list[str] = []
    params: list[str] = []
    found = collect_refs(template, task_ids, params)
    assert Counter(task_ids) == Counter(expected_refs)
    assert Counter(params) == Counter(expected_params)
    assert found == bool(expected_refs or expected_params)


@given(TRACKED_TEMPLATES)
def test_collect_refs_appends_to_existing_lists(tracked):
    template, expected_refs, expected_params = tracked
    task_ids, params = ["already"], ["there"]
    collect_refs(template, task_ids, params)
    assert task_ids[0] == "already" and params[0] == "there"
    assert Counter(task_ids[1:]) == Counter(expected_refs)
    assert Counter(params[1:]) == Counter(expected_params)


@given(TRACKED_TEMPLATES)
def test_collect_refs_ignores_the_encoded_form(tracked):
    template = tracked[0]
    task_ids: list[str] = []
    params: list[str] = []
    assert collect_refs(encode_template(template), task_ids, params) is False
    assert task_ids == [] and params == []


def test_collect_refs_examples():
    task_ids: list[str] = []
    params: list[str] = []
    template = {"a": [Ref("x"), (ParamRef("p"), {Ref("y", ("k",))})], "b": 1, "c": "Ref('z')"}
    assert collect_refs(template, task_ids, params) is True
    assert sorted(task_ids) == ["x", "y"]
    assert params == ["p"]
    assert collect_refs([1, "two", None, {"k": 3.0}], [], []) is False
    assert collect_refs(Ref("solo"), task_ids, params) is True
    assert task_ids[-1] == "solo"


# --------------------------------------------------------------------------- value objects


@given(TASK_IDS, PATHS, TASK_IDS, PATHS)
def test_ref_equality_and_hash(a_id, a_path, b_id, b_path):
    a, b = Ref(a_id, a_path), Ref(b_id, b_path)
    assert (a == b) == ((a_id, a_path) == (b_id, b_path))
    if a == b:
        assert hash(a) == hash(b)
    assert Ref(a_id, a_path) == a
    assert a != ParamRef(a_id)
    assert eval(repr(a)) == a


@given(PARAM_NAMES, PARAM_NAMES)
def test_param_ref_equality_and_hash(a_name, b_name):
    a, b = ParamRef(a_name), ParamRef(b_name)
    assert (a == b) == (a_name == b_name)
    if a == b:
        assert hash(a) == hash(b)
    assert a != Ref(a_name)
    assert eval(repr(a)) == a
