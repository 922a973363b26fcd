"""In-memory repositories and unit of work, with the same semantics as the SQL adapters.

A unit of work holds the store's lock from `with` to exit (units of work run one at a
time, as SQLite's BEGIN IMMEDIATE makes them) and stages its writes in an overlay that its
reads see first; commit applies the overlay, leaving without commit drops it. Unique constraints are index tables
staged the same way. Stored and returned objects are deep copies.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from dagy.adapters.memory.repos_audit import InMemoryAuditLogRepository
from dagy.adapters.memory.repos_environments import InMemoryEnvironmentRepository
from dagy.adapters.memory.repos_invitations import InMemoryInvitationRepository
from dagy.adapters.memory.repos_secrets import InMemorySecretRepository
from dagy.adapters.memory.repos_identity import (InMemoryApiKeyRepository,
                                                 InMemoryMembershipRepository,
                                                 InMemoryOrgRepository, InMemoryUserRepository)
from dagy.adapters.memory.repos_runs import (InMemoryOutboxRepository, InMemoryRunRepository,
                                        InMemoryTaskRunRepository)
from dagy.adapters.memory.repos_schedules import InMemoryScheduleRepository, InMemorySensorRepository
from dagy.adapters.memory.repos_tokens import InMemoryAccessTokenRepository
from dagy.adapters.memory.store import TABLES, Repo, Tx, copy_of, keyset_page, stored_copy
from dagy.adapters.sequence import SequenceGenerator
from dagy.adapters.values import decode_cursor, encode_cursor
from dagy.domain.catalog import Deployment, FlowRecord
from dagy.domain.errors import NotFoundError

__all__ = ["InMemoryStore", "InMemoryUnitOfWork", "InMemoryOrgRepository",
           "InMemoryMembershipRepository",
           "InMemoryUserRepository", "InMemoryApiKeyRepository", "InMemoryFlowRepository",
           "InMemoryDeploymentRepository", "InMemoryRunRepository",
           "InMemoryTaskRunRepository", "InMemoryOutboxRepository",
           "InMemoryScheduleRepository", "InMemorySensorRepository"]


class InMemoryStore:
    """Committed state of every entity, shared by the units of work made from it, and the
    generator numbering its rows in creation order (as SqlDatabase holds one)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tables: dict[str, dict[Any, Any]] = {name: {} for name in TABLES}
        self.sequence = SequenceGenerator()

    def unit_of_work(self) -> "InMemoryUnitOfWork":
        return InMemoryUnitOfWork(self)


class InMemoryFlowRepository(Repo):
    def add(self, flow: FlowRecord) -> None:
        key = (flow.org_id, flow.flow_name, flow.flow_version)
        self._conflict_if(self._tx.get("flows", key) is not None,
                          f"flow {flow.flow_name!r} version {flow.flow_version!r}")
        self._tx.put("flows", key, (self._tx.sequence.next(), stored_copy(flow)))

    def get(self, org_id: str, flow_name: str, flow_version: str) -> FlowRecord | None:
        row = self._tx.get("flows", (org_id, flow_name, flow_version))
        return _flow_copy(row[1]) if row else None

    def versions(self, org_id: str, flow_name: str) -> list[FlowRecord]:
        rows = [r for r in self._tx.rows("flows")
                if r[1].org_id == org_id and r[1].flow_name == flow_name]
        return [_flow_copy(flow) for _, flow in sorted(rows, key=lambda r: r[0])]

    def list(self, org_id: str, *, namespace_prefix: str | None = None,
             tags: dict[str, str] | None = None, limit: int = 50,
             cursor: str | None = None) -> tuple[list[FlowRecord], str | None]:
        latest: dict[str, tuple[int, FlowRecord]] = {}
        for seq, flow in self._tx.rows("flows"):
            if flow.org_id == org_id and seq > latest.get(flow.flow_name, (-1,))[0]:
                latest[flow.flow_name] = (seq, flow)
        p = namespace_prefix
        flows = [f for _, f in latest.values()
                 if (p is None or f.namespace == p or f.namespace.startswith(p + "/"))
                 and all(f.tags.get(k) == v for k, v in (tags or {}).items())]
        page, last = keyset_page(flows, lambda f: (f.flow_name,), limit,
                                 decode_cursor(cursor, str))
        return [_flow_copy(f) for f in page], encode_cursor(list(last)) if last else None


def _flow_copy(flow: FlowRecord) -> FlowRecord:
    """A private copy that shares the stored FlowSpec (immutable once registered, and a
    deep copy of it would cost more than the whole read), as the SQL adapter does."""
    return dataclasses.replace(flow, tags=dict(flow.tags))


class InMemoryDeploymentRepository(Repo):
    def add(self, deployment: Deployment) -> None:
        key = (deployment.org_id, deployment.deployment_name)
        self._conflict_if(self._tx.get("deployments", key) is not None,
                          f"deployment {deployment.deployment_name!r}")
        self._tx.put("deployments", key, stored_copy(deployment))

    def get(self, org_id: str, name: str) -> Deployment | None:
        return copy_of(self._tx.get("deployments", (org_id, name)))

    def update(self, deployment: Deployment) -> None:
        """Replace every field but the key and `created_at` (set once, by add)."""
        key = (deployment.org_id, deployment.deployment_name)
        current = self._tx.get("deployments", key)
        if current is None:
            raise NotFoundError(f"no deployment {deployment.deployment_name!r}")
        new = stored_copy(deployment)
        new.created_at = current.created_at
        self._tx.put("deployments", key, new)

    def delete(self, org_id: str, name: str) -> bool:
        if self._tx.get("deployments", (org_id, name)) is None:
            return False
        self._tx.delete("deployments", (org_id, name))
        return True

    def list(self, org_id: str, *, flow_name: str | None = None, limit: int = 50,
             cursor: str | None = None) -> tuple[list[Deployment], str | None]:
        rows = [d for d in self._tx.rows("deployments") if d.org_id == org_id
                and (flow_name is None or d.flow_name == flow_name)]
        page, last = keyset_page(rows, lambda d: (d.deployment_name,), limit,
                                 decode_cursor(cursor, str))
        return [copy_of(d) for d in page], encode_cursor(list(last)) if last else None


class InMemoryUnitOfWork:
    """UnitOfWork over an InMemoryStore; see the module docstring for the semantics."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store
        self._tx: Tx | None = None

    def __enter__(self) -> "InMemoryUnitOfWork":
        self._store.lock.acquire()
        tx = self._tx = Tx(self._store.tables, self._store.sequence)
        self.orgs, self.users = InMemoryOrgRepository(tx), InMemoryUserRepository(tx)
        self.memberships = InMemoryMembershipRepository(tx)
        self.api_keys, self.flows = InMemoryApiKeyRepository(tx), InMemoryFlowRepository(tx)
        self.deployments = InMemoryDeploymentRepository(tx)
        self.environments = InMemoryEnvironmentRepository(tx)
        self.secrets = InMemorySecretRepository(tx)
        self.runs, self.task_runs = InMemoryRunRepository(tx), InMemoryTaskRunRepository(tx)
        self.outbox = InMemoryOutboxRepository(tx)
        self.schedules, self.sensors = InMemoryScheduleRepository(tx), InMemorySensorRepository(tx)
        self.access_tokens = InMemoryAccessTokenRepository(tx)
        self.invitations = InMemoryInvitationRepository(tx)
        self.audit_logs = InMemoryAuditLogRepository(tx)
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            if self._tx is not None:
                self._tx.open = False
        finally:
            self._tx = None
            self._store.lock.release()

    def commit(self) -> None:
        self._active().commit()

    def rollback(self) -> None:
        self._active().staged = {}

    def _active(self) -> Tx:
        if self._tx is None:
            raise RuntimeError("the unit of work is not active: use `with uow:`")
        return self._tx
