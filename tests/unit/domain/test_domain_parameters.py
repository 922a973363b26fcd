"""Binding run parameters to declared flow parameters."""

from __future__ import annotations

import math
import string
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dagy.domain.errors import DagyError, ParameterError
from dagy.domain.flowspec import ParameterSpec
from dagy.domain.parameters import JSON_TYPES, bind_parameters, type_matches


def json_kinds(value: Any) -> set[str]:
    """Reference oracle: the JSON types a Python value belongs to (exact types only)."""
    kind = type(value)
    if kind is bool:
        return {"boolean"}
    if kind is int:
        return {"integer", "number"}
    if kind is float:
        return {"number"}
    if kind is str:
        return {"string"}
    if kind in (list, tuple):
        return {"array"}
    if kind is dict:
        return {"object"}
    return set()  # None, bytes, sets, arbitrary objects: no JSON type but "any"


def oracle_matches(expected: str, value: Any) -> bool:
    return expected == "any" or expected in json_kinds(value)


VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities are still numbers
    | st.text(max_size=5)
    | st.binary(max_size=3)
    | st.builds(object)
    | st.complex_numbers(max_magnitude=10, allow_nan=False),
    lambda children: st.lists(children, max_size=3)
    | st.lists(children, max_size=3).map(tuple)
    | st.dictionaries(st.text(max_size=3), children, max_size=3)
    | st.frozensets(st.integers(), max_size=3),
    max_leaves=5,
)


@given(st.sampled_from(JSON_TYPES), VALUES)
def test_type_matches_agrees_with_oracle(expected, value):
    assert type_matches(expected, value) == oracle_matches(expected, value)


@pytest.mark.parametrize("value, kinds", [
    (True, {"boolean"}), (False, {"boolean"}), (0, {"integer", "number"}),
    (-7, {"integer", "number"}), (1.0, {"number"}), (math.inf, {"number"}),
    ("", {"string"}), ("1", {"string"}), ([], {"array"}), ((1,), {"array"}),
    ({}, {"object"}), (None, set()), (b"x", set()), ({1}, set()),
])
def test_type_matches_table(value, kinds):
    for expected in JSON_TYPES:
        assert type_matches(expected, value) == (expected == "any" or expected in kinds), expected


def test_bool_is_not_an_integer_or_a_number():
    assert not type_matches("integer", True)
    assert not type_matches("number", False)
    assert type_matches("boolean", True)


def test_int_is_accepted_as_number_but_float_is_not_an_integer():
    assert type_matches("number", 3)
    assert not type_matches("integer", 3.0)


# --------------------------------------------------------------------------- bind_parameters


def test_binds_given_values():
    declared = [ParameterSpec("n", "integer"), ParameterSpec("s", "string"),
                ParameterSpec("x", "number"), ParameterSpec("flags", "array"),
                ParameterSpec("cfg", "object"), ParameterSpec("b", "boolean")]
    given_values = {"n": 1, "s": "a", "x": 2, "flags": [1], "cfg": {"k": 1}, "b": False}
    assert bind_parameters(declared, given_values) == given_values


def test_all_problems_are_reported_at_once():
    declared = [
        ParameterSpec("missing_one", "string"),
        ParameterSpec("wrong_type", "integer"),
        ParameterSpec("ok", "string"),
        ParameterSpec("missing_two", "any"),
    ]
    with pytest.raises(ParameterError) as info:
        bind_parameters(declared, {"wrong_type": "7", "ok": "x", "surprise": 1, "other": 2})
    problems = info.value.problems
    assert len(problems) == 5
    assert any("unknown" in p and "'surprise'" in p for p in problems)
    assert any("unknown" in p and "'other'" in p for p in problems)
    assert any("missing" in p and "'missing_one'" in p for p in problems)
    assert any("missing" in p and "'missing_two'" in p for p in problems)
    assert any("'wrong_type'" in p and "integer" in p and "str" in p for p in problems)
    assert str(info.value) == "; ".join(problems)


def test_parameter_error_is_a_type_error_and_a_dagy_error():
    with pytest.raises(TypeError):
        bind_parameters([ParameterSpec("n", "integer")], {})
    assert issubclass(ParameterError, DagyError)
    assert ParameterError("boom").problems == ["boom"]


def test_bool_is_rejected_for_integer_parameter():
    with pytest.raises(ParameterError) as info:
        bind_parameters([ParameterSpec("n", "integer")], {"n": True})
    assert info.value.problems == ["parameter 'n' must be integer, got bool"]


def test_int_is_accepted_for_number_parameter():
    assert bind_parameters([ParameterSpec("x", "number")], {"x": 3}) == {"x": 3}


def test_nullable_accepts_none_and_non_nullable_does_not():
    assert bind_parameters([ParameterSpec("x", "integer", nullable=True)], {"x": None}) == {"x": None}
    with pytest.raises(ParameterError):
        bind_parameters([ParameterSpec("x", "integer")], {"x": None})
    # "any" accepts None even when not nullable.
    assert bind_parameters([ParameterSpec("x", "any")], {"x": None}) == {"x": None}


def test_defaults():
    declared = [
        ParameterSpec("a", "integer", required=False, default=1),
        ParameterSpec("b", "integer", required=False, default=2),
        ParameterSpec("c", "integer", required=False),
    ]
    assert bind_parameters(declared, {}) == {"a": 1, "b": 2, "c": None}
    # Python defaults override the spec's defaults; given values override both.
    assert bind_parameters(declared, {}, {"a": 10}) == {"a": 10, "b": 2, "c": None}
    assert bind_parameters(declared, {"a": 5}, {"a": 10}) == {"a": 5, "b": 2, "c": None}
    # A Python default does not make a required parameter optional.
    with pytest.raises(ParameterError):
        bind_parameters([ParameterSpec("r", "integer")], {}, {"r": 1})


def test_no_declared_parameters():
    assert bind_parameters([], {}) == {}
    with pytest.raises(ParameterError) as info:
        bind_parameters([], {"x": 1})
    assert info.value.problems == ["unknown parameter 'x'"]


NAMES = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=4)


@st.composite
def binding_cases(draw):
    names = draw(st.lists(NAMES, unique=True, max_size=6))
    declared = [
        ParameterSpec(name, draw(st.sampled_from(JSON_TYPES)), draw(st.booleans()),
                      draw(VALUES), draw(st.booleans()))
        for name in names
    ]
    given_values = {name: draw(VALUES) for name in names if draw(st.booleans())}
    extra = draw(st.dictionaries(NAMES.map(lambda s: s.upper()), VALUES, max_size=2))
    given_values.update(extra)
    defaults = {name: draw(VALUES) for name in names if draw(st.booleans())}
    return declared, given_values, draw(st.none() | st.just(defaults))


@given(binding_cases())
def test_bind_parameters_agrees_with_oracle(case):
    declared, given_values, defaults = case
    expected_bound: dict[str, Any] = {}
    expected_problems: list[tuple[str, str]] = []
    known = {p.name for p in declared}
    expected_problems += [("unknown", n) for n in given_values if n not in known]
    for p in declared:
        if p.name in given_values:
            value = given_values[p.name]
            if (value is None and p.nullable) or oracle_matches(p.type, value):
                expected_bound[p.name] = value
            else:
                expected_problems.append(("must be", p.name))
        elif p.required:
            expected_problems.append(("missing", p.name))
        else:
            expected_bound[p.name] = (defaults or {}).get(p.name, p.default)

    if not expected_problems:
        bound = bind_parameters(declared, given_values, defaults)
        assert bound.keys() == expected_bound.keys()
        for name, value in expected_bound.items():
            assert bound[name] is value
        return
    with pytest.raises(ParameterError) as info:
        bind_parameters(declared, given_values, defaults)
    problems = info.value.problems
    assert len(problems) == len(expected_problems)
    for (kind, name), text in zip(expected_problems, problems):
        assert kind in text and repr(name) in text, (kind, name, text)
