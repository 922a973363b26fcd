"""The one rule for stored results: plain JSON copies, tuples as lists, never a repr."""

from __future__ import annotations

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from dagy.adapters.values import persistable
from dagy.domain.json_values import UNSERIALIZABLE, is_storable, stored_result


class Opaque:
    def __repr__(self) -> str:
        return "Opaque()"


SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
    | st.just("\ud800") | st.builds(Opaque) | st.sets(st.integers(), max_size=2)
    | st.binary(max_size=3)
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3)
    | st.lists(children, max_size=3).map(tuple)
    | st.dictionaries(st.text(max_size=3) | st.integers(0, 3), children, max_size=3),
    max_leaves=8,
)


def tuples_as_lists(value):
    """The reference: what a storable value becomes (independent of the implementation)."""
    if isinstance(value, (list, tuple)):
        return [tuples_as_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: tuples_as_lists(v) for k, v in value.items()}
    return value


def has_tuple(value) -> bool:
    if isinstance(value, tuple):
        return True
    if isinstance(value, list):
        return any(has_tuple(v) for v in value)
    if isinstance(value, dict):
        return any(has_tuple(v) for v in value.values())
    return False


@given(VALUES)
def test_a_value_is_stored_as_itself_with_lists_for_tuples_or_not_at_all(value):
    stored, marker = stored_result(value)
    plain = tuples_as_lists(value)
    if is_storable(plain):
        assert marker is None and stored == plain and not has_tuple(stored)
        assert json.loads(json.dumps(stored, allow_nan=False)) == stored
    else:
        assert (stored, marker) == (None, UNSERIALIZABLE)
    if not isinstance(value, str):
        assert not isinstance(stored, str)  # never a repr
    assert stored_result(stored) == (stored, None)  # what was stored stores unchanged
    assert persistable(value) == (marker is None, stored)  # the repositories' view


@given(st.lists(st.integers(), min_size=1, max_size=4))
def test_the_stored_copy_shares_nothing_with_the_live_value(items):
    live = {"items": items}
    stored, _ = stored_result(live)
    items.append(99)
    assert stored == {"items": items[:-1]}


def test_the_cases_that_used_to_disagree():
    assert stored_result((1, 2)) == ([1, 2], None)
    assert stored_result({"pair": (1, (2, 3))}) == ({"pair": [1, [2, 3]]}, None)
    assert stored_result(Opaque()) == (None, UNSERIALIZABLE)
    assert stored_result([1, Opaque()]) == (None, UNSERIALIZABLE)
    assert stored_result(math.nan) == (None, UNSERIALIZABLE)
    assert stored_result({1: "a"}) == (None, UNSERIALIZABLE)
    assert stored_result(None) == (None, None)
