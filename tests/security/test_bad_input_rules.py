"""The storable-JSON rule, the strict parser and the error-body renderer, as properties.

Hypothesis builds arbitrary JSON documents: every one round-trips through parse_json
unchanged; inserting one bad part anywhere (NaN, an overflowing number, a lone
surrogate, a repeated key, nesting past the limit) is always refused with a message that
names it; and whatever a client sent, an error body renders as strict UTF-8 JSON.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dagy.domain.json_values import (MAX_DEPTH, InvalidJson, UnstorableValue, check_storable,
                                is_storable, parse_json, storable_problem)
from dagy.entrypoints.api.errors import error_body, json_safe

SLOT = "\u2063slot\u2063"
SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8))
VALUES = st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                      | st.dictionaries(st.text(max_size=5), children, max_size=4),
                      max_leaves=12)
BAD_PARTS = {"NaN": "NaN", "Infinity": "Infinity", "-Infinity": "-Infinity",
             "1e999999": "1e999999", "lone surrogate": '"x\\ud800"',
             "surrogate key": '{"\\udc01": 0}', "repeated key": '{"k": 1, "k": 2}',
             "deep": "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
             "very deep": "[" * 5000 + "]" * 5000, "long integer": "7" * 5000}


@st.composite
def documents_with_a_slot(draw):
    """(a JSON document holding the string SLOT once, at any depth, as a value)."""
    value = draw(VALUES)
    path = []
    target = value
    while isinstance(target, (list, dict)) and target and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(target) if isinstance(target, dict)
                                   else range(len(target))))
        path.append(key)
        target = target[key]
    if not path:
        return [SLOT, value] if draw(st.booleans()) else {"p": SLOT, "v": value}
    parent = value
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = SLOT
    return value


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_json_documents_round_trip_exactly(value):
    text = json.dumps(value)
    assert is_storable(value)
    assert parse_json(text) == value
    assert parse_json(text.encode()) == value


@settings(max_examples=300, deadline=None)
@given(documents_with_a_slot(), st.sampled_from(sorted(BAD_PARTS)))
def test_one_bad_part_anywhere_is_refused(document, label):
    raw = json.dumps(document).replace(json.dumps(SLOT), BAD_PARTS[label], 1)
    with pytest.raises(InvalidJson) as refused:
        parse_json(raw.encode("utf-8", "surrogatepass"))
    message = str(refused.value)
    assert message.startswith("body ") and len(message) < 400
    json.dumps(error_body("invalid", message), allow_nan=False).encode("utf-8")


@pytest.mark.parametrize("raw, fragment", [
    (b'{"a": {"b": [1, NaN]}}', "NaN"), (b'{"a": -Infinity}', "-Infinity"),
    (b'{"a": [1e999999]}', "1e999999"), (b'{"a": {"b": "\\ud800"}}', "at $.a.b"),
    (b'{"a": 1, "a": 2}', "repeats the key 'a'"), (b'"\xed\xa0\x80"', "not UTF-8"),
    (b'\xff', "not UTF-8"), (b'{"a": ' + b"[" * 70 + b"]" * 70 + b"}",
                             "deeper than 64 levels at $.a[0][0]"),
    (b"[" * 5000 + b"]" * 5000, "deeper than 64 levels"), (b"{", "not valid JSON"),
])
def test_messages_say_what_is_wrong_and_where(raw, fragment):
    with pytest.raises(InvalidJson) as refused:
        parse_json(raw)
    assert fragment in str(refused.value), str(refused.value)


def nested(levels: int) -> list:
    value: list = []
    for _ in range(levels - 1):
        value = [value]
    return value


def test_the_depth_limit_counts_containers():
    assert is_storable(nested(MAX_DEPTH))
    assert storable_problem(nested(MAX_DEPTH + 1))[0].startswith("nesting deeper")
    assert is_storable(nested(100_000)) is False  # iterative: no RecursionError


def test_check_storable_names_the_field_and_the_place():
    with pytest.raises(UnstorableValue) as refused:
        check_storable({"rows": [{"v": math.nan}]}, "parameters")
    assert refused.value.path == "parameters.rows[0].v"
    assert "NaN" in str(refused.value)
    for bad in ((1,), b"x", {1: 2}, {"k": {"\ud800"}}, 10 ** 5000):
        assert not is_storable({"k": bad})


WILD = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats()
    | st.text(st.characters(codec=None, min_codepoint=0, max_codepoint=0xFFFF), max_size=8)
    | st.binary(max_size=4),
    lambda children: st.lists(children, max_size=3) | st.tuples(children)
    | st.dictionaries(st.text(max_size=3) | st.integers(), children, max_size=3),
    max_leaves=10)


@settings(max_examples=300, deadline=None)
@given(WILD)
def test_error_details_always_render_as_strict_json(value):
    body = error_body("invalid", f"bad {value!s:.50}", [{"input": value, "deep": nested(300)}])
    text = json.dumps(body, allow_nan=False, ensure_ascii=False).encode("utf-8")
    assert parse_json(text)["error"]["code"] == "invalid"


def test_json_safe_renders_non_finite_numbers_as_strings():
    assert json_safe([math.nan, math.inf, -math.inf, 1.5]) == ["NaN", "Infinity", "-Infinity",
                                                               1.5]
    assert json_safe({"\ud800": "a\udfffb"}) == {"\ufffd": "a\ufffdb"}
