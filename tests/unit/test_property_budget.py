"""The property budget: full counts under the ci profile, a share of them locally."""

from __future__ import annotations

from contextlib import contextmanager

from hypothesis import settings
from property_budget import examples


@contextmanager
def profile(name: str):
    before = settings.get_current_profile_name()
    settings.load_profile(name)
    try:
        yield
    finally:
        settings.load_profile(before)


def test_ci_runs_exactly_the_counts_asked_for():
    with profile("ci"):
        assert settings.default.max_examples == 100
        assert [examples(n) for n in (20, 100, 300)] == [20, 100, 300]


def test_quick_scales_counts_down_but_keeps_its_own_floor_and_small_counts():
    with profile("quick"):
        assert settings.default.max_examples == 20
        assert [examples(n) for n in (8, 40, 120, 300)] == [8, 20, 24, 60]
