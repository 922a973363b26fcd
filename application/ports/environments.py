"""Port: an org's environments. (org_id, env_name) is unique; lists are in creation order."""

from __future__ import annotations

from typing import Protocol

from dagy.domain.environments import Environment


class EnvironmentRepository(Protocol):
    def add(self, environment: Environment) -> None:
        """Insert; ConflictError if the org already has an environment of that name."""

    def get(self, org_id: str, env_name: str, *, lock: str | None = None) -> Environment | None:
        """`lock` "share" (acting in it: deploying, promoting) or "update" (deleting it)
        holds the row until the transaction ends where transactions interleave
        (PostgreSQL), so a deployment cannot be added to an environment being deleted:
        the delete waits for the deploy and then counts it, or the deploy waits and then
        finds no environment."""

    def list(self, org_id: str) -> list[Environment]:
        """Every environment of the org, oldest first (an org has a handful, never pages)."""

    def update(self, environment: Environment) -> None:
        """Replace every field but the key and `created_at`; NotFoundError if none."""

    def delete(self, org_id: str, env_name: str) -> bool:
        """False if there was no such environment."""

    def count_deployments(self, org_id: str, env_name: str) -> int:
        """How many of the org's deployments belong to the environment."""
