"""Who is calling a use case: the tenant it acts in, and what it may do.

Its own module (not part of Deps) because it travels with every call, while Deps is
wired once per process by the composition root.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Principal:
    """Who is calling: every use case acts inside `org_id`."""

    org_id: str
    user_id: str | None = None
    scopes: tuple[str, ...] = ("admin",)
