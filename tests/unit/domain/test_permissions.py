"""The permission matrix: ranked roles, one decision rule, no unknown names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dagy.domain.errors import ValidationError
from dagy.domain.permissions import (ALL_PERMISSIONS, PERMISSIONS_BY_ROLE, ForbiddenError, Role,
                                     decide, may_grant, min_role_for, parse_role, require)

roles = st.sampled_from(list(Role))
permissions = st.sampled_from(sorted(ALL_PERMISSIONS))


@given(roles, roles, permissions)
def test_a_higher_role_holds_everything_a_lower_one_does(low, high, permission):
    if low.rank <= high.rank and decide(low, permission).allowed:
        assert decide(high, permission).allowed


@given(roles, permissions)
def test_decide_agrees_with_the_lowest_role_holding_a_permission(role, permission):
    assert decide(role, permission).allowed == (role.rank >= min_role_for(permission).rank)


@given(roles, roles)
def test_nobody_grants_a_role_above_their_own(granter, granted):
    assert may_grant(granter, granted) == (granted.rank <= granter.rank)


def test_the_matrix_names_the_issue_permissions_at_the_expected_roles():
    expected = {"runs:trigger": Role.OPERATOR, "flows:deploy": Role.DEVELOPER,
                "secrets:write": Role.DEVELOPER, "members:manage": Role.ADMIN,
                "audit:read": Role.ADMIN, "billing:manage": Role.OWNER, "runs:read": Role.VIEWER}
    assert {p: min_role_for(p) for p in expected} == expected
    assert PERMISSIONS_BY_ROLE[Role.OWNER] == ALL_PERMISSIONS
    assert all(p.count(":") == 1 and p == p.lower() for p in ALL_PERMISSIONS)


def test_a_denial_says_what_is_needed_and_unknown_names_fail_loudly():
    with pytest.raises(ForbiddenError, match="flows:deploy needs role developer or above; "
                                             "the caller is viewer"):
        require("viewer", "flows:deploy")
    require("developer", "flows:deploy")
    with pytest.raises(KeyError):
        decide(Role.OWNER, "flows:destroy")
    with pytest.raises(ValidationError, match="roles are viewer, operator"):
        parse_role("superuser")
