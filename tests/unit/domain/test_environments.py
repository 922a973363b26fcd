"""What a valid environment is (dagy.domain.environments): slug names, a known tier, a
bounded executor and a bounded JSON object of configuration."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from dagy.domain.environments import (MAX_CONFIG_BYTES, SEEDED_ENVIRONMENTS, check_config,
                                      check_env_name, check_executor, check_tier, seeded)
from dagy.domain.errors import ValidationError


@pytest.mark.parametrize("name", ["development", "qa", "a", "eu-west-1", "x" * 64, "0"])
def test_slugs_are_names(name):
    assert check_env_name(name) == name


@pytest.mark.parametrize("name", ["", "Prod", "-qa", "qa-", "q a", "q/a", "q_a", "x" * 65,
                                  "é", None, 3, ["qa"], "qa\n"])
def test_anything_else_is_refused_naming_the_field(name):
    with pytest.raises(ValidationError, match="to_environment must be a slug"):
        check_env_name(name, "to_environment")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_a_name_is_accepted_exactly_when_it_is_a_plain_slug(text):
    plain = (0 < len(text) <= 64 and all(c in "abcdefghijklmnopqrstuvwxyz0123456789-"
                                         for c in text)
             and text[0] != "-" and text[-1] != "-")
    try:
        check_env_name(text)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == plain


def test_tiers_are_the_runtime_tiers_and_null():
    assert check_tier("SMALL") == "small" and check_tier(None) is None
    for bad in ("huge", "", 3, True):
        with pytest.raises(ValidationError, match="default_runtime_tier"):
            check_tier(bad)


def test_executors_are_bounded_printable_text_or_null():
    for good in ("ecs", "step-functions", "k8s:gpu/large", "Local_1.2+x", "x" * 64):
        assert check_executor(good) == good
    assert check_executor(None) is None
    for bad in ("", " ecs", "ecs\t", "my backend", "-ecs", "a\x00b", "é", "x" * 65, 5,
                ["ecs"]):
        with pytest.raises(ValidationError, match="default_executor"):
            check_executor(bad)


def test_config_is_a_bounded_json_object():
    assert check_config(None) == {}
    value = {"region": "eu", "n": [1, 2.5, None, True], "deep": {"a": {"b": 1}}}
    assert check_config(value) is value
    for bad in ([], "x", 3, {"n": float("nan")}, {1: "non-string key"}):
        with pytest.raises(ValidationError):
            check_config(bad)
    nested: dict = {}
    cursor = nested
    for _ in range(16):
        cursor["a"] = {}
        cursor = cursor["a"]
    with pytest.raises(ValidationError, match="17 levels"):
        check_config(nested)
    with pytest.raises(ValidationError, match="bytes as JSON"):
        check_config({"big": "x" * MAX_CONFIG_BYTES})


def test_an_org_is_seeded_with_production_protected():
    assert SEEDED_ENVIRONMENTS == (("development", False), ("staging", False),
                                   ("production", True))
    made = seeded("o1", None)
    assert [(e.org_id, e.env_name, e.is_protected, e.config_json) for e in made] == [
        ("o1", "development", False, {}), ("o1", "staging", False, {}),
        ("o1", "production", True, {})]
    made[0].config_json["x"] = 1
    assert seeded("o1", None)[0].config_json == {}  # no shared default
