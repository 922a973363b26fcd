"""SQL repository of an org's environments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, func, select, update

from dagy.adapters.sql.rows import SequencedRepository, from_row, to_row
from dagy.adapters.sql.tables import deployments, environments
from dagy.domain.environments import Environment
from dagy.domain.errors import NotFoundError


class SqlEnvironmentRepository(SequencedRepository):
    def add(self, environment: Environment) -> None:
        self._guarded(environments.insert(),
                      to_row(environment, environments, seq=self._sequence.next()),
                      f"environment {environment.env_name!r}")

    def get(self, org_id: str, env_name: str, *, lock: str | None = None) -> Environment | None:
        query = select(environments).where(self._key(org_id, env_name))
        if lock is not None:  # SQLite ignores it: BEGIN IMMEDIATE serializes writers
            query = query.with_for_update(read=lock == "share")
        row = self._run(query).first()
        return _environment(row) if row else None

    def list(self, org_id: str) -> list[Environment]:
        c = environments.c
        rows = self._run(select(environments).where(c.org_id == org_id)
                         .order_by(c.seq, self._ordered(c.env_name)))
        return [_environment(row) for row in rows]

    def update(self, environment: Environment) -> None:
        values = to_row(environment, environments)
        for key in ("org_id", "env_name", "created_at"):
            values.pop(key)
        result = self._run(update(environments)
                           .where(self._key(environment.org_id, environment.env_name))
                           .values(**values), what="environment update")
        if result.rowcount != 1:
            raise NotFoundError(f"no environment {environment.env_name!r}")

    def delete(self, org_id: str, env_name: str) -> bool:
        return self._run(delete(environments).where(self._key(org_id, env_name))).rowcount == 1

    def count_deployments(self, org_id: str, env_name: str) -> int:
        c = deployments.c
        return self._run(select(func.count()).select_from(deployments)
                         .where(c.org_id == org_id, c.environment == env_name)).scalar_one()

    @staticmethod
    def _key(org_id: str, env_name: str) -> Any:
        return and_(environments.c.org_id == org_id, environments.c.env_name == env_name)


def _environment(row: Any) -> Environment:
    return from_row(Environment, row, config_json=dict(row.config_json or {}))
