"""Which tasks a retry `from_tasks` runs again: names resolved against the flow spec,
then everything downstream."""

from __future__ import annotations

import pytest

from dagy.application.use_cases.run_clear import (check_from_tasks, resolve_tasks,
                                                  with_downstream)
from dagy.domain.errors import ValidationError
from dagy.domain.flowspec import FlowSpec, TaskSpec

# a -> b -> d, a -> c; "fetch" is the name of two tasks, "load" of one
SPEC = FlowSpec("etl", [TaskSpec("a", "fetch"), TaskSpec("b", "fetch", upstream=("a",)),
                        TaskSpec("c", "load", upstream=("a",)),
                        TaskSpec("d", "d", upstream=("b",))])


def test_ids_first_then_a_name_that_names_one_task():
    assert resolve_tasks(SPEC, ["b", "load", "b"]) == ["b", "c"]


def test_an_ambiguous_name_lists_the_ids_to_use():
    with pytest.raises(ValidationError, match="several tasks.*a, b"):
        resolve_tasks(SPEC, ["fetch"])


def test_an_unknown_name_lists_the_flow_tasks():
    with pytest.raises(ValidationError, match="no task 'ghost'; its tasks are a, b, c, d"):
        resolve_tasks(SPEC, ["ghost"])


def test_downstream_is_transitive_and_leaves_other_branches():
    assert with_downstream(SPEC, ["b"]) == {"b", "d"}
    assert with_downstream(SPEC, ["a"]) == {"a", "b", "c", "d"}
    assert with_downstream(SPEC, ["c", "d"]) == {"c", "d"}


@pytest.mark.parametrize("bad", [None, [], "b", ["b", 2], [""], ["x" * 201], ["b"] * 101])
def test_the_shape_is_checked_before_any_flow_is_read(bad):
    with pytest.raises(ValidationError):
        check_from_tasks(bad)
