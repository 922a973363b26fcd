"""The rules of organizations and their members, as pure decisions.

- An org's name is a slug (it appears in URLs, headers and profiles) and unique.
- Nobody hands out or takes away a role above their own (`may_grant`): an admin cannot
  make an owner, nor demote or remove one.
- An org always keeps an owner: the last one can neither leave, nor be removed, nor be
  demoted (someone else must be made owner first), so no org is left that nobody may
  manage, bill or delete.
"""

from __future__ import annotations

import re
from typing import Any

from dagy.domain.errors import ConflictError, ValidationError
from dagy.domain.permissions import ForbiddenError, Role, a_role, may_grant

MAX_ORG_NAME_CHARS = 64
_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


class LastOwnerError(ConflictError):
    """The change would leave the org without an owner (HTTP 409)."""


def check_org_name(value: Any) -> str:
    """The org name if it is a slug: lower-case letters, digits and inner hyphens."""
    if (not isinstance(value, str) or len(value) > MAX_ORG_NAME_CHARS
            or not _SLUG.fullmatch(value)):
        raise ValidationError(
            "an organization name must be a slug: lower-case letters, digits and hyphens, "
            f"starting and ending with a letter or digit, 1 to {MAX_ORG_NAME_CHARS} characters")
    return value


def check_role_change(caller: Role, current: Role, new: Role, owners: int) -> None:
    """ForbiddenError if `caller` may not move a member from `current` to `new`;
    LastOwnerError if that member is the org's only owner (`owners` counts them)."""
    if not may_grant(caller, current):
        raise ForbiddenError(f"{a_role(caller)} cannot change the role of a member who is {current}")
    if not may_grant(caller, new):
        raise ForbiddenError(f"{a_role(caller)} cannot grant role {new}")
    if current == Role.OWNER and new != Role.OWNER and owners <= 1:
        raise LastOwnerError("this member is the organization's last owner: make another "
                             "member owner before changing this one's role")


def check_removal(caller: Role, target: Role, owners: int, *, leaving: bool) -> None:
    """ForbiddenError if `caller` may not remove a member holding `target` (anyone may
    leave); LastOwnerError if that member is the org's only owner."""
    if not leaving and not may_grant(caller, target):
        raise ForbiddenError(f"{a_role(caller)} cannot remove a member who is {target}")
    if target == Role.OWNER and owners <= 1:
        who = "you are" if leaving else "this member is"
        raise LastOwnerError(f"{who} the organization's last owner: make another member "
                             "owner first")
