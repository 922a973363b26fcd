"""Use cases on in-memory adapters, with flows registered straight from Python."""

from __future__ import annotations

import threading

import pytest
from artifact_zips import spec_only_zip

from dagy.adapters.compute.threads import ThreadPoolTaskRunner
from dagy.application.deps import Deps
from dagy.application.use_cases.accounts import bootstrap
from dagy.application.use_cases.deployments import create_deployment
from dagy.application.use_cases.flows import RegisterFlow, register_flow, upload_artifact
from dagy.entrypoints.wiring import build_deps
from dagy import flow, task

EXECUTIONS: list[str] = []
GATE = threading.Event()
FLAKY = {"fail_next": False}


@task
def load(n: int) -> list[int]:
    EXECUTIONS.append("load")
    return list(range(n))


@task
def total(xs: list[int]) -> int:
    EXECUTIONS.append("total")
    if FLAKY["fail_next"]:
        FLAKY["fail_next"] = False
        raise RuntimeError("flaky total")
    return sum(xs)


@flow(name="numbers", version="1.0.0")
def numbers(n: int = 3):
    return total(load(n))


@task
def wait_for_gate() -> int:
    EXECUTIONS.append("gate")
    GATE.wait(10)
    return 1


@task
def after_gate(x: int) -> int:
    EXECUTIONS.append("after_gate")
    return x + 1


@flow(name="gated", version="1.0.0")
def gated():
    return after_gate(wait_for_gate())


class Harness:
    executions, gate, flaky = EXECUTIONS, GATE, FLAKY

    def __init__(self, deps: Deps, principal) -> None:
        self.deps, self.principal = deps, principal

    def deploy(self, flow_obj, deployment: str, **extra):
        data, code_hash = spec_only_zip(flow_obj)
        uri = upload_artifact(self.deps, self.principal, data, flow_obj.name)
        register_flow(self.deps, self.principal, RegisterFlow(
            flow_obj.name, flow_obj.version, flow_obj.spec.to_dict(), uri, code_hash))
        self.deps.flow_loader.register(flow_obj.name, code_hash, flow_obj.plan)
        create_deployment(self.deps, self.principal, {
            "deployment_name": deployment, "flow_name": flow_obj.name,
            "flow_version": flow_obj.version, **extra})


@pytest.fixture
def harness():
    EXECUTIONS.clear()
    GATE.clear()
    FLAKY["fail_next"] = False
    deps = build_deps(task_runner_factory=lambda: ThreadPoolTaskRunner(4), lease_seconds=30,
                      poll_probe=None)
    org, _ = bootstrap(deps)
    from dagy.application.principal import Principal
    h = Harness(deps, Principal(org.org_id))
    h.deploy(numbers, "numbers-dep")
    h.deploy(gated, "gated-dep")
    yield h
    GATE.set()
