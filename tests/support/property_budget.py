"""How many examples a property test tries, from the hypothesis profile tests/conftest.py
loaded: `quick` (the default, so the unit tier runs in seconds) or `ci` (CI=true or
HYPOTHESIS_PROFILE=ci, the full counts).

A test that deliberately tries more than the profile's default says so with
`@settings(max_examples=examples(300))`; one that asks for fewer (its examples are
expensive) says `examples(25)`. Under `ci` they get exactly that; under a smaller budget
the same share of it, never fewer than the profile's default nor more than asked for.
"""

from __future__ import annotations

from hypothesis import settings

CI_EXAMPLES = 100  # the `ci` profile's default: hypothesis' own


def examples(ci_count: int) -> int:
    """`ci_count` under the ci profile; scaled to the loaded profile's budget otherwise."""
    budget = settings.default.max_examples
    return max(min(ci_count, budget), ci_count * budget // CI_EXAMPLES)
