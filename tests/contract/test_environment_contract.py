"""The EnvironmentRepository contract (application/ports/environments.py) on memory,
SQLite and PostgreSQL, and the seeding every new org gets."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from repo_builders import T0, at, deployment, uid

from dagy.application.environments import seed_environments
from dagy.domain.environments import Environment
from dagy.domain.errors import ConflictError, NotFoundError


def env(org_id: str, name: str, **fields) -> Environment:
    values = dict(is_protected=False, default_executor=None, default_runtime_tier=None,
                  config_json={}, created_at=T0, updated_at=T0)
    values.update(fields)
    return Environment(org_id, name, **values)


def put(uow_factory, *environments: Environment) -> None:
    with uow_factory() as uow:
        for e in environments:
            uow.environments.add(e)
        uow.commit()


def test_add_get_round_trips_every_field_in_utc(uow_factory):
    org = uid("o")
    stored = env(org, "qa", is_protected=True, default_executor="ecs",
                 default_runtime_tier="small",
                 config_json={"region": "eu-west-1", "limits": {"n": [1, 2.5, None, True]}})
    put(uow_factory, stored)
    with uow_factory() as uow:
        got = uow.environments.get(org, "qa")
        assert got == stored and got.created_at.utcoffset() == timedelta(0)
        assert uow.environments.get(org, "nope") is None
        assert uow.environments.get(uid("other"), "qa") is None


def test_a_second_environment_of_the_same_name_conflicts_in_one_org_only(uow_factory):
    org, other = uid("o"), uid("o")
    put(uow_factory, env(org, "qa"))
    with pytest.raises(ConflictError):
        put(uow_factory, env(org, "qa", is_protected=True))
    put(uow_factory, env(other, "qa"))
    with uow_factory() as uow:
        assert uow.environments.get(org, "qa").is_protected is False
        uow.environments.add(env(org, "later"))  # the unit of work is still usable
        uow.commit()
        assert uow.environments.get(org, "later") is not None


def test_list_is_creation_order_and_per_org(uow_factory):
    org, other = uid("o"), uid("o")
    put(uow_factory, env(org, "zeta"), env(org, "alpha"), env(other, "mid"), env(org, "mid"))
    with uow_factory() as uow:
        assert [e.env_name for e in uow.environments.list(org)] == ["zeta", "alpha", "mid"]
        assert [e.env_name for e in uow.environments.list(other)] == ["mid"]
        assert uow.environments.list(uid("none")) == []


def test_update_replaces_fields_but_keeps_created_at(uow_factory):
    org = uid("o")
    put(uow_factory, env(org, "qa"))
    changed = env(org, "qa", is_protected=True, default_runtime_tier="large",
                  config_json={"k": "v"}, created_at=at(99), updated_at=at(50))
    with uow_factory() as uow:
        uow.environments.update(changed)
        uow.commit()
    with uow_factory() as uow:
        got = uow.environments.get(org, "qa")
    assert got == dataclasses.replace(changed, created_at=T0)
    with uow_factory() as uow, pytest.raises(NotFoundError):
        uow.environments.update(env(uid("other"), "qa"))


def test_delete_and_rollback(uow_factory):
    org = uid("o")
    put(uow_factory, env(org, "qa"), env(org, "keep"))
    with uow_factory() as uow:
        assert uow.environments.delete(org, "qa") is True
        assert uow.environments.get(org, "qa") is None
    with uow_factory() as uow:  # not committed: still there
        assert uow.environments.get(org, "qa") is not None
        assert uow.environments.delete(uid("other"), "qa") is False
        assert uow.environments.delete(org, "qa") is True
        uow.commit()
    with uow_factory() as uow:
        assert [e.env_name for e in uow.environments.list(org)] == ["keep"]
        assert uow.environments.delete(org, "qa") is False


def test_count_deployments_counts_the_orgs_deployments_of_that_environment(uow_factory):
    org, other = uid("o"), uid("o")
    with uow_factory() as uow:
        for name, environment in (("a", "staging"), ("b", "staging"), ("c", "production")):
            d = deployment(org, name)
            d.environment = environment
            uow.deployments.add(d)
        foreign = deployment(other, "a")
        foreign.environment = "staging"
        uow.deployments.add(foreign)
        uow.deployments.add(deployment(org, "d"))  # the default: development
        uow.commit()
    with uow_factory() as uow:
        counts = {e: uow.environments.count_deployments(org, e)
                  for e in ("staging", "production", "development", "none")}
        assert counts == {"staging": 2, "production": 1, "development": 1, "none": 0}
        got = uow.deployments.get(org, "a")
        assert (got.environment, got.promoted_from) == ("staging", None)


def test_a_deployments_environment_and_origin_are_stored(uow_factory):
    org = uid("o")
    d = deployment(org, "etl-production")
    d.environment, d.promoted_from = "production", "etl"
    with uow_factory() as uow:
        uow.deployments.add(d)
        uow.commit()
    with uow_factory() as uow:
        got = uow.deployments.get(org, "etl-production")
        assert (got.environment, got.promoted_from) == ("production", "etl")
        got.environment = "staging"
        uow.deployments.update(got)
        uow.commit()
    with uow_factory() as uow:
        assert uow.deployments.get(org, "etl-production").environment == "staging"


def test_seeding_adds_the_three_once(uow_factory):
    org = uid("o")
    with uow_factory() as uow:
        added = seed_environments(uow, org, T0)
        uow.commit()
    assert [e.env_name for e in added] == ["development", "staging", "production"]
    with uow_factory() as uow:
        again = seed_environments(uow, org, at(5))
        uow.commit()
        found = uow.environments.list(org)
    assert again == []
    assert [(e.env_name, e.is_protected, e.config_json, e.created_at) for e in found] == [
        ("development", False, {}, T0), ("staging", False, {}, T0),
        ("production", True, {}, T0)]
