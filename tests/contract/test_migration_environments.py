"""Migration 0010 on SQLite and PostgreSQL: every existing org gets development, staging
and production (protected), and every existing deployment is in development."""

from __future__ import annotations

import sqlalchemy as sa

from dagy.adapters.sql.migrate import upgrade
from dagy.adapters.sql.uow import SqlUnitOfWork


def test_0010_seeds_environments_for_each_org_and_puts_deployments_in_development(sql_engine):
    upgrade(sql_engine, "0009")
    with sql_engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO organizations (org_id, name) VALUES ('oa', 'a'), "
                             "('ob', 'b')"))
        conn.execute(sa.text(
            "INSERT INTO deployments (org_id, deployment_name, flow_name, flow_version, tags, "
            "parameters, status) VALUES ('oa', 'etl', 'etl', '1', '{}', '{}', 'ACTIVE')"))
    upgrade(sql_engine)
    with SqlUnitOfWork(sql_engine) as uow:
        for org in ("oa", "ob"):
            assert [(e.env_name, e.is_protected, e.config_json)
                    for e in uow.environments.list(org)] == [
                ("development", False, {}), ("staging", False, {}), ("production", True, {})]
        etl = uow.deployments.get("oa", "etl")
        assert (etl.environment, etl.promoted_from) == ("development", None)
        assert uow.environments.count_deployments("oa", "development") == 1
