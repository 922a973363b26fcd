"""Runtime tier and executor names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dagy.domain.errors import ConfigurationError
from dagy.domain.tiers import (
    EXECUTORS,
    TIER_RESOURCES,
    RuntimeTier,
    parse_executor,
    parse_tier,
)

TIERS = ["nano", "micro", "small", "medium", "large", "xlarge"]


def test_the_six_tiers():
    assert [t.value for t in RuntimeTier] == TIERS
    assert set(TIER_RESOURCES) == set(RuntimeTier)


@pytest.mark.parametrize("tier", TIERS)
def test_parse_tier_accepts_each_tier(tier):
    assert parse_tier(tier) == tier
    assert parse_tier(tier.upper()) == tier
    assert parse_tier(tier.capitalize()) == tier
    assert parse_tier(RuntimeTier(tier)) == tier


@given(st.sampled_from(TIERS), st.data())
def test_parse_tier_is_case_insensitive(tier, data):
    flips = data.draw(st.lists(st.booleans(), min_size=len(tier), max_size=len(tier)))
    mixed = "".join(c.upper() if f else c for c, f in zip(tier, flips))
    assert parse_tier(mixed) == tier


def test_parse_tier_none():
    assert parse_tier(None) is None


def _assert_lists_tiers(message: str) -> None:
    for tier in TIERS:
        assert tier in message


@given(st.text(max_size=10).filter(lambda s: s.lower() not in TIERS))
def test_parse_tier_rejects_anything_else(value):
    with pytest.raises(ConfigurationError) as info:
        parse_tier(value)
    assert repr(value) in str(info.value)
    _assert_lists_tiers(str(info.value))


@pytest.mark.parametrize("value", ["", " nano", "nano ", "tiny", "x-large", "xl", "NANOS", "lambda"])
def test_parse_tier_rejects_near_misses(value):
    with pytest.raises(ConfigurationError) as info:
        parse_tier(value)
    _assert_lists_tiers(str(info.value))


@pytest.mark.parametrize("executor", EXECUTORS)
def test_parse_executor_accepts_each_executor(executor):
    assert parse_executor(executor) == executor


def test_the_executors():
    assert set(EXECUTORS) == {"local", "lambda", "step-functions", "ecs"}
    assert parse_executor(None) is None


def test_parse_executor_ignores_case():
    assert parse_executor("ECS") == "ecs"
    assert parse_executor("Step-Functions") == "step-functions"


@given(st.text(max_size=15).filter(lambda s: s.lower() not in EXECUTORS))
def test_parse_executor_rejects_anything_else(value):
    with pytest.raises(ConfigurationError) as info:
        parse_executor(value)
    message = str(info.value)
    assert repr(value) in message
    for executor in EXECUTORS:
        assert executor in message


@pytest.mark.parametrize("value", ["", "Local ", "step_functions", "stepfunctions", "k8s", "nano"])
def test_parse_executor_rejects_near_misses(value):
    with pytest.raises(ConfigurationError):
        parse_executor(value)
