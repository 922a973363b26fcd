"""Deleting an environment while a deployment goes into it, on SQLite and PostgreSQL:
the two meet on the environment's row, so the delete either counts the new deployment
(409) or the deploy finds no environment (404); never a deployment left in an
environment that is gone."""

from __future__ import annotations

import threading
import time

import pytest
from repo_builders import deployment

from dagy.adapters.sql.migrate import upgrade
from dagy.adapters.sql.uow import SqlUnitOfWork
from dagy.application.environments import check_environment
from dagy.application.principal import Principal
from dagy.application.use_cases.accounts import bootstrap
from dagy.application.use_cases.environments import create_environment, delete_environment
from dagy.domain.errors import ConflictError, NotFoundError
from dagy.entrypoints.wiring import build_deps

HOLD = 0.5  # seconds the first transaction keeps the row after it got it


@pytest.fixture
def setup(sql_engine):
    upgrade(sql_engine)
    deps = build_deps(uow=lambda: SqlUnitOfWork(sql_engine), poll_probe=None)
    org, _ = bootstrap(deps, "acme")
    principal = Principal(org.org_id)
    create_environment(deps, principal, {"env_name": "qa"})
    return deps, principal


def _in_thread(target) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = target()
        except Exception as exc:  # the test reads it
            outcome["error"] = exc
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_a_delete_waits_for_a_deploy_in_flight_and_counts_it(setup):
    deps, principal = setup
    holding = threading.Event()

    def deploy() -> None:
        with deps.uow() as uow:
            check_environment(uow, principal, "qa", changing=True)
            holding.set()
            time.sleep(HOLD)
            d = deployment(principal.org_id, "etl")
            d.environment = "qa"
            uow.deployments.add(d)
            uow.commit()

    thread, outcome = _in_thread(deploy)
    assert holding.wait(10)
    started = time.monotonic()
    with pytest.raises(ConflictError, match="1 deployment belongs"):
        delete_environment(deps, principal, "qa")
    assert time.monotonic() - started >= HOLD / 2  # it waited for the deploy's commit
    thread.join(10)
    assert outcome == {"value": None}
    with deps.uow() as uow:
        assert uow.environments.get(principal.org_id, "qa") is not None
        assert uow.deployments.get(principal.org_id, "etl").environment == "qa"


def test_a_deploy_waits_for_a_delete_in_flight_and_finds_nothing(setup):
    deps, principal = setup
    holding = threading.Event()

    def delete() -> None:
        with deps.uow() as uow:
            uow.environments.get(principal.org_id, "qa", lock="update")
            holding.set()
            time.sleep(HOLD)
            assert uow.environments.count_deployments(principal.org_id, "qa") == 0
            uow.environments.delete(principal.org_id, "qa")
            uow.commit()

    thread, outcome = _in_thread(delete)
    assert holding.wait(10)
    with deps.uow() as uow, pytest.raises(NotFoundError, match="environment 'qa' not found"):
        check_environment(uow, principal, "qa", changing=True)
    thread.join(10)
    assert outcome == {"value": None}
    with deps.uow() as uow:
        assert uow.environments.get(principal.org_id, "qa") is None
