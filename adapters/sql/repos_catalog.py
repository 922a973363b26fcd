"""SQL repositories for the catalog: flows and deployments."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update

from dagy.adapters.values import check_limit, decode_cursor, encode_cursor
from dagy.adapters.sql.rows import SequencedRepository, SqlRepository, from_row, to_row
from dagy.adapters.sql.tables import deployments, flows
from dagy.domain.catalog import Deployment, FlowRecord
from dagy.domain.errors import NotFoundError
from dagy.domain.flowspec import FlowSpec


@lru_cache(maxsize=512)
def _spec(text: str) -> FlowSpec:
    """The FlowSpec stored as `text` (canonical JSON): parsed once per distinct text, the
    object shared by every record read with it (a registered spec never changes)."""
    return FlowSpec.from_json(text)


def _flow(row: Any) -> FlowRecord:
    return from_row(FlowRecord, row, flow_spec=_spec(row.flow_spec_json))


class SqlFlowRepository(SequencedRepository):
    def add(self, flow: FlowRecord) -> None:
        self._guarded(flows.insert(), to_row(flow, flows, seq=self._sequence.next(),
                                             flow_spec_json=flow.flow_spec.to_json()),
                      f"flow {flow.flow_name!r} version {flow.flow_version!r}")

    def get(self, org_id: str, flow_name: str, flow_version: str) -> FlowRecord | None:
        c = flows.c
        row = self._run(select(flows).where(c.org_id == org_id, c.flow_name == flow_name,
                                            c.flow_version == flow_version)).first()
        return _flow(row) if row else None

    def versions(self, org_id: str, flow_name: str) -> list[FlowRecord]:
        c = flows.c
        rows = self._run(select(flows).where(c.org_id == org_id, c.flow_name == flow_name)
                         .order_by(c.seq))
        return [_flow(row) for row in rows]

    def list(self, org_id: str, *, namespace_prefix: str | None = None,
             tags: dict[str, str] | None = None, limit: int = 50,
             cursor: str | None = None) -> tuple[list[FlowRecord], str | None]:
        """Namespaces match exactly or as a parent (`a` matches `a/b`, not `ab`); tags are
        filtered here after fetching, in batches, so pages stay full."""
        check_limit(limit)
        c, older = flows.c, flows.alias("older")
        latest = (select(func.max(older.c.seq))
                  .where(older.c.org_id == c.org_id, older.c.flow_name == c.flow_name)
                  .scalar_subquery())
        query = select(flows).where(c.org_id == org_id, c.seq == latest)
        if namespace_prefix is not None:
            query = query.where(or_(c.namespace == namespace_prefix,
                                    c.namespace.startswith(namespace_prefix + "/",
                                                           autoescape=True)))
        name = self._ordered(c.flow_name)
        after = decode_cursor(cursor, str)
        last, batch, found = after[0] if after else None, limit + 1 if not tags else 200, []
        while len(found) <= limit:
            page = query if last is None else query.where(name > last)
            rows = self._run(page.order_by(name).limit(batch)).all()
            found += [flow for flow in (_flow(row) for row in rows)
                      if all(flow.tags.get(k) == v for k, v in (tags or {}).items())]
            if len(rows) < batch:
                break
            last = rows[-1].flow_name
        more = len(found) > limit
        found = found[:limit]
        return found, encode_cursor([found[-1].flow_name]) if more else None


class SqlDeploymentRepository(SqlRepository):
    def add(self, deployment: Deployment) -> None:
        self._guarded(deployments.insert(), to_row(deployment, deployments),
                      f"deployment {deployment.deployment_name!r}")

    def get(self, org_id: str, name: str) -> Deployment | None:
        row = self._run(select(deployments).where(self._key(org_id, name))).first()
        return from_row(Deployment, row) if row else None

    def update(self, deployment: Deployment) -> None:
        """Replace every field but the key and `created_at` (set once, by add)."""
        values = to_row(deployment, deployments)
        for key in ("org_id", "deployment_name", "created_at"):
            values.pop(key)
        result = self._run(update(deployments)
                           .where(self._key(deployment.org_id, deployment.deployment_name))
                           .values(**values), what="deployment update")
        if result.rowcount != 1:
            raise NotFoundError(f"no deployment {deployment.deployment_name!r}")

    def delete(self, org_id: str, name: str) -> bool:
        result = self._run(delete(deployments).where(self._key(org_id, name)))
        return result.rowcount == 1

    def list(self, org_id: str, *, flow_name: str | None = None, limit: int = 50,
             cursor: str | None = None) -> tuple[list[Deployment], str | None]:
        c = deployments.c
        name = self._ordered(c.deployment_name)
        query = select(deployments).where(c.org_id == org_id)
        if flow_name is not None:
            query = query.where(c.flow_name == flow_name)
        after = decode_cursor(cursor, str)
        if after:
            query = query.where(name > after[0])
        rows = self._run(query.order_by(name).limit(check_limit(limit) + 1)).all()
        page = [from_row(Deployment, row) for row in rows[:limit]]
        more = len(rows) > limit
        return page, encode_cursor([page[-1].deployment_name]) if more else None

    @staticmethod
    def _key(org_id: str, name: str) -> Any:
        return and_(deployments.c.org_id == org_id, deployments.c.deployment_name == name)
