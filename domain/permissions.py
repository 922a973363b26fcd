"""Roles and what each may do: the permission matrix, as data, and its one decision rule.

A member of an organization (a person, or an API key acting as a service account) holds
one role there. Roles are ranked: each role may do everything the role below it may, plus
its own permissions, so "never above its creator's" (an API key's role) is a comparison
of ranks. Every API route names the one permission it needs; `decide` is the only place
that answers whether a role holds it. docs/security.md shows this matrix as a table, and
a test checks the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Mapping

from dagy.domain.errors import DagyError, ValidationError


class ForbiddenError(DagyError):
    """The caller is known but its role lacks the permission (HTTP 403)."""


class Role(str, Enum):
    """Lowest first: the order is the rank."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    DEVELOPER = "developer"
    ADMIN = "admin"
    OWNER = "owner"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __str__(self) -> str:
        return self.value


_RANK = {role: index for index, role in enumerate(Role)}

# What each role adds to the one below it. Reads of run-related state are everyone's;
# changing what runs (code, deployments, secrets) is a developer's; who may act, and the
# record of what they did, is an admin's; money and the organization itself, an owner's.
_GRANTS: Mapping[Role, tuple[str, ...]] = {
    Role.VIEWER: (
        "org:read", "members:read", "environments:read", "flows:read", "deployments:read",
        "runs:read", "schedules:read", "sensors:read", "drafts:read", "usage:read",
        "notifications:read",
    ),
    Role.OPERATOR: (
        "runs:trigger", "runs:manage", "deployments:operate", "schedules:write",
        "sensors:write",
    ),
    Role.DEVELOPER: (
        "flows:deploy", "deployments:write", "secrets:read", "secrets:write", "drafts:write",
        "notifications:write",
    ),
    Role.ADMIN: (
        "environments:write", "environments:protected", "api_keys:read", "api_keys:write",
        "members:manage", "audit:read", "billing:read",
    ),
    Role.OWNER: (
        "billing:manage", "org:manage",
    ),
}


def _accumulate() -> dict[Role, frozenset[str]]:
    held: set[str] = set()
    matrix = {}
    for role in Role:
        held |= set(_GRANTS[role])
        matrix[role] = frozenset(held)
    return matrix


PERMISSIONS_BY_ROLE: Mapping[Role, frozenset[str]] = _accumulate()
ALL_PERMISSIONS: frozenset[str] = PERMISSIONS_BY_ROLE[Role.OWNER]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str


def parse_role(value: str) -> Role:
    """A role from its name, or a ValidationError naming the choices."""
    try:
        return Role(value)
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise ValidationError(f"unknown role {value!r}; roles are {choices}") from None


def decide(role: Role | str, permission: str) -> Decision:
    """Whether `role` holds `permission`. An unknown permission is a programming error
    (a route naming a permission the matrix lacks) and raises, so it fails loudly in
    tests instead of denying quietly in production."""
    if permission not in ALL_PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    role = role if isinstance(role, Role) else parse_role(role)
    if permission in PERMISSIONS_BY_ROLE[role]:
        return Decision(True, f"role {role} holds {permission}")
    lowest = min_role_for(permission)
    return Decision(False, f"{permission} needs role {lowest} or above; the caller is {role}")


def require(role: Role | str, permission: str) -> None:
    """ForbiddenError unless `role` holds `permission`."""
    decision = decide(role, permission)
    if not decision.allowed:
        raise ForbiddenError(decision.reason)


def min_role_for(permission: str) -> Role:
    """The lowest role holding `permission`."""
    for role in Role:
        if permission in PERMISSIONS_BY_ROLE[role]:
            return role
    raise KeyError(f"unknown permission {permission!r}")


def a_role(role: "Role | str") -> str:
    """The role with its article, for messages: "an admin", "a viewer"."""
    name = str(getattr(role, "value", role))
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def may_grant(granter: Role | str, granted: Role | str) -> bool:
    """A member may hand out (to an API key or an invitation) no role above their own."""
    granter = granter if isinstance(granter, Role) else parse_role(granter)
    granted = granted if isinstance(granted, Role) else parse_role(granted)
    return granted.rank <= granter.rank
