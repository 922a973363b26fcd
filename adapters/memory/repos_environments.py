"""In-memory environments, with the SQL adapter's semantics (tests/contract holds both)."""

from __future__ import annotations

from dagy.adapters.memory.store import Repo, Tx, copy_of, stored_copy
from dagy.domain.environments import Environment
from dagy.domain.errors import NotFoundError

TABLE = "environments"


class InMemoryEnvironmentRepository(Repo):
    """Rows are (seq, Environment) keyed by (org_id, env_name); seq keeps creation order."""

    def __init__(self, tx: Tx) -> None:
        super().__init__(tx)
        tx.tables.setdefault(TABLE, {})  # a table the store did not create: added on first use

    def add(self, environment: Environment) -> None:
        key = (environment.org_id, environment.env_name)
        self._conflict_if(self._tx.get(TABLE, key) is not None,
                          f"environment {environment.env_name!r}")
        self._tx.put(TABLE, key, (self._tx.sequence.next(), stored_copy(environment)))

    def get(self, org_id: str, env_name: str, *, lock: str | None = None) -> Environment | None:
        # `lock`: units of work on one store already run one at a time
        row = self._tx.get(TABLE, (org_id, env_name))
        return copy_of(row[1]) if row else None

    def list(self, org_id: str) -> list[Environment]:
        rows = sorted((row for row in self._tx.rows(TABLE) if row[1].org_id == org_id),
                      key=lambda row: (row[0], row[1].env_name))
        return [copy_of(environment) for _, environment in rows]

    def update(self, environment: Environment) -> None:
        key = (environment.org_id, environment.env_name)
        row = self._tx.get(TABLE, key)
        if row is None:
            raise NotFoundError(f"no environment {environment.env_name!r}")
        new = stored_copy(environment)
        new.created_at = row[1].created_at
        self._tx.put(TABLE, key, (row[0], new))

    def delete(self, org_id: str, env_name: str) -> bool:
        if self._tx.get(TABLE, (org_id, env_name)) is None:
            return False
        self._tx.delete(TABLE, (org_id, env_name))
        return True

    def count_deployments(self, org_id: str, env_name: str) -> int:
        return sum(1 for d in self._tx.rows("deployments")
                   if d.org_id == org_id and d.environment == env_name)
