"""RetryPolicy: delays (fixed, per-attempt list, callable, None), jitter, validation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dagy.domain.errors import ConfigurationError
from dagy.domain.retry import RetryPolicy

DELAYS = st.floats(min_value=0, max_value=1e6, allow_nan=False) | st.integers(0, 10**6)
ATTEMPTS = st.integers(1, 50)


@given(DELAYS, ATTEMPTS)
def test_fixed_delay(delay, attempt):
    policy = RetryPolicy(retries=3, delay=delay)
    assert policy.base_delay(attempt) == float(delay)
    assert policy.delay_for(attempt) == float(delay)
    assert isinstance(policy.delay_for(attempt), float)


@given(st.lists(DELAYS, min_size=1, max_size=6), ATTEMPTS)
def test_list_delay_is_per_attempt_and_last_repeats(delays, attempt):
    for form in (list(delays), tuple(delays)):
        policy = RetryPolicy(retries=len(delays), delay=form)
        expected = delays[attempt - 1] if attempt <= len(delays) else delays[-1]
        assert policy.base_delay(attempt) == float(expected)


def test_list_delay_examples():
    policy = RetryPolicy(retries=5, delay=[1, 2, 4])
    assert [policy.delay_for(a) for a in range(1, 7)] == [1.0, 2.0, 4.0, 4.0, 4.0, 4.0]
    assert RetryPolicy(retries=2, delay=[]).delay_for(1) == 0.0


@given(ATTEMPTS)
def test_callable_delay_receives_the_failed_attempt(attempt):
    seen = []

    def backoff(n: int) -> float:
        seen.append(n)
        return 2.0 ** n

    policy = RetryPolicy(retries=3, delay=backoff)
    assert policy.delay_for(attempt) == 2.0 ** attempt
    assert seen == [attempt]


def test_callable_returning_int_is_seconds():
    assert RetryPolicy(delay=lambda n: 3).base_delay(1) == 3.0


def test_none_delay_is_zero():
    policy = RetryPolicy(retries=2, delay=None, jitter_factor=1.0)
    assert policy.base_delay(1) == 0.0
    assert policy.delay_for(1, 0.9) == 0.0


def test_zero_delay_ignores_jitter():
    assert RetryPolicy(retries=1, delay=0, jitter_factor=2.0).delay_for(1, 0.99) == 0.0


UNIT = st.floats(min_value=0, max_value=1, exclude_max=True)


@given(st.floats(min_value=1e-6, max_value=1e6), st.floats(min_value=0, max_value=2), UNIT, ATTEMPTS)
def test_jitter_stays_within_bounds(delay, jitter, u, attempt):
    policy = RetryPolicy(retries=1, delay=delay, jitter_factor=jitter)
    result = policy.delay_for(attempt, u)
    low, high = max(0.0, delay * (1 - jitter)), delay * (1 + jitter)
    assert low <= result <= high


@given(st.floats(min_value=1e-6, max_value=1e6), st.sampled_from([0, 0.0, None]), UNIT)
def test_no_jitter_returns_the_delay(delay, jitter, u):
    policy = RetryPolicy(retries=1, delay=delay, jitter_factor=jitter)
    assert policy.delay_for(1, u) == delay


def test_jitter_is_uniform_over_the_interval():
    policy = RetryPolicy(retries=1, delay=10, jitter_factor=0.5)
    assert policy.delay_for(1, 0.0) == 5.0
    assert policy.delay_for(1, 0.5) == 10.0
    assert policy.delay_for(1, 0.75) == 12.5
    assert policy.delay_for(1) == 10.0  # default unit_random is the middle
    wide = RetryPolicy(retries=1, delay=10, jitter_factor=2.0)
    assert wide.delay_for(1, 0.0) == 0.0  # the lower bound is clamped at zero
    assert wide.delay_for(1, 0.5) == 15.0


@given(st.lists(DELAYS, min_size=1, max_size=4), st.floats(0, 2), UNIT, ATTEMPTS)
def test_jitter_applies_to_list_delays(delays, jitter, u, attempt):
    policy = RetryPolicy(retries=4, delay=delays, jitter_factor=jitter)
    base = policy.base_delay(attempt)
    result = policy.delay_for(attempt, u)
    if base == 0:
        assert result == 0
    else:
        assert max(0.0, base * (1 - jitter)) <= result <= base * (1 + jitter)


# --------------------------------------------------------------------------- can_retry


@given(st.integers(0, 20))
def test_can_retry_boundaries(retries):
    policy = RetryPolicy(retries=retries)
    assert policy.max_attempts == retries + 1
    for attempt in range(1, retries + 1):
        assert policy.can_retry(attempt)
    assert not policy.can_retry(retries + 1)
    assert not policy.can_retry(retries + 2)


def test_no_retries_by_default():
    policy = RetryPolicy()
    assert policy.max_attempts == 1
    assert not policy.can_retry(1)
    assert policy.delay_for(1) == 0.0


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize("kwargs", [
    pytest.param({"retries": -1}, id="negative-retries"),
    pytest.param({"retries": True}, id="bool-retries"),
    pytest.param({"retries": False}, id="bool-retries-false"),
    pytest.param({"retries": 1.5}, id="float-retries"),
    pytest.param({"retries": "3"}, id="str-retries"),
    pytest.param({"delay": -1}, id="negative-delay"),
    pytest.param({"delay": -0.001}, id="negative-float-delay"),
    pytest.param({"delay": [1, -2]}, id="negative-delay-in-list"),
    pytest.param({"delay": (1, -2)}, id="negative-delay-in-tuple"),
    pytest.param({"delay": [1, True]}, id="bool-in-delay-list"),
    pytest.param({"delay": True}, id="bool-delay"),
    pytest.param({"delay": "5"}, id="str-delay"),
    pytest.param({"delay": [1, "2"]}, id="str-in-delay-list"),
    pytest.param({"jitter_factor": -0.1}, id="negative-jitter"),
    pytest.param({"jitter_factor": "0.5"}, id="str-jitter"),
])
def test_invalid_configuration_raises(kwargs):
    with pytest.raises(ConfigurationError):
        RetryPolicy(**kwargs)


@given(st.integers(max_value=-1))
def test_any_negative_retries_raises(retries):
    with pytest.raises(ConfigurationError):
        RetryPolicy(retries=retries)


@given(st.floats(max_value=0, exclude_max=True, allow_nan=False))
def test_any_negative_delay_or_jitter_raises(value):
    with pytest.raises(ConfigurationError):
        RetryPolicy(retries=1, delay=value)
    with pytest.raises(ConfigurationError):
        RetryPolicy(retries=1, delay=1, jitter_factor=value)


@pytest.mark.parametrize("returned", [-1, -0.5, "1", None, [1]])
def test_callable_returning_invalid_delay_raises_when_used(returned):
    policy = RetryPolicy(retries=1, delay=lambda attempt: returned)  # validated lazily
    with pytest.raises(ConfigurationError):
        policy.delay_for(1)


@pytest.mark.parametrize("kwargs", [
    pytest.param({"delay": math.nan}, id="nan-delay"),
    pytest.param({"delay": [1, math.nan]}, id="nan-in-delay-list"),
    pytest.param({"delay": 1, "jitter_factor": math.nan}, id="nan-jitter"),
    pytest.param({"delay": lambda attempt: math.nan}, id="callable-returning-nan"),
])
def test_nan_configuration_raises(kwargs):
    with pytest.raises(ConfigurationError):
        RetryPolicy(retries=1, **kwargs).delay_for(1)


def test_policy_is_frozen():
    policy = RetryPolicy(retries=1)
    with pytest.raises(AttributeError):
        policy.retries = 5  # type: ignore[misc]
