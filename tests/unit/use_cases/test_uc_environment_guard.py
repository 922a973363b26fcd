"""The environment guard (dagy.application.environments) on the in-memory adapters: who
may act in which environment, decided in one place for deploys, promotions, run
triggers and secrets."""

from __future__ import annotations

import pytest

from dagy.application.environments import check_environment, check_key_scope, seed_environments
from dagy.application.principal import Principal
from dagy.domain.errors import NotFoundError
from dagy.domain.permissions import ForbiddenError, Role
from dagy.entrypoints.wiring import build_deps


@pytest.fixture
def uow():
    deps = build_deps()
    with deps.uow() as unit:
        seed_environments(unit, "o1", None)
        yield unit


@pytest.mark.parametrize("role", list(Role))
def test_anyone_may_act_in_an_unprotected_environment(uow, role):
    found = check_environment(uow, Principal("o1", role=role), "staging", changing=True)
    assert found.env_name == "staging" and not found.is_protected


@pytest.mark.parametrize("role,allowed", [(Role.VIEWER, False), (Role.OPERATOR, False),
                                          (Role.DEVELOPER, False), (Role.ADMIN, True),
                                          (Role.OWNER, True)])
def test_changing_a_protected_environment_needs_admin(uow, role, allowed):
    caller = Principal("o1", role=role)
    assert check_environment(uow, caller, "production", changing=False).is_protected
    if allowed:
        assert check_environment(uow, caller, "production", changing=True).is_protected
    else:
        with pytest.raises(ForbiddenError, match="production' is protected.*admin"):
            check_environment(uow, caller, "production", changing=True)


def test_an_unknown_or_another_orgs_environment_is_not_found(uow):
    for caller, name in ((Principal("o1"), "nowhere"), (Principal("o2"), "staging"),
                         (Principal("o1"), None)):
        with pytest.raises(NotFoundError, match="not found"):
            check_environment(uow, caller, name, changing=False)


def test_a_key_limited_to_environments_acts_only_in_them(uow):
    key = Principal("o1", role=Role.OWNER, key_id="k1", environments=("staging",))
    assert check_environment(uow, key, "staging", changing=True).env_name == "staging"
    for name, changing in (("production", True), ("development", False)):
        with pytest.raises(ForbiddenError, match="only in environments: staging"):
            check_environment(uow, key, name, changing=changing)
    with pytest.raises(ForbiddenError, match="environments: none"):
        check_key_scope(Principal("o1", environments=()), "staging")
    check_key_scope(Principal("o1"), "anything")  # no list: every environment


def test_seeding_twice_adds_nothing(uow):
    assert seed_environments(uow, "o1", None) == []
    assert [e.env_name for e in uow.environments.list("o1")] == [
        "development", "staging", "production"]
