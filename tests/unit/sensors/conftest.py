"""Sensor use cases on in-memory adapters, with flows registered straight from Python."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from artifact_zips import spec_only_zip

from dagy.adapters.compute.threads import ThreadPoolTaskRunner
from dagy.adapters.memory.poll_probe import InMemoryPollProbe
from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.application.use_cases import sensors
from dagy.application.use_cases.accounts import bootstrap
from dagy.application.use_cases.deployments import create_deployment
from dagy.application.use_cases.flows import RegisterFlow, register_flow, upload_artifact
from dagy.entrypoints.wiring import build_deps
from dagy import flow, task


@task
def touch(key: str, bucket: str, cursor: str) -> str:
    return f"{bucket}/{key}@{cursor}"


@flow(name="sensor_files", version="1.0.0")
def sensor_files(key: str = "none", bucket: str = "none", cursor: str = "", n: int = 0):
    return touch(key, bucket, cursor)


class FakeClock:
    def __init__(self) -> None:
        self.moment = datetime(2030, 1, 1, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> datetime:
        self.moment += timedelta(seconds=seconds)
        return self.moment


class SensorHarness:
    def __init__(self, deps: Deps, principal: Principal, clock: FakeClock) -> None:
        self.deps, self.principal, self.clock = deps, principal, clock
        self.probe = InMemoryPollProbe()

    def deploy(self, deployment: str, principal: Principal | None = None, **extra) -> None:
        principal = principal or self.principal
        data, code_hash = spec_only_zip(sensor_files)
        uri = upload_artifact(self.deps, principal, data, sensor_files.name)
        register_flow(self.deps, principal, RegisterFlow(
            sensor_files.name, sensor_files.version, sensor_files.spec.to_dict(), uri, code_hash))
        self.deps.flow_loader.register(sensor_files.name, code_hash, sensor_files.plan)
        create_deployment(self.deps, principal, {
            "deployment_name": deployment, "flow_name": sensor_files.name,
            "flow_version": sensor_files.version, **extra})

    def sensor(self, sensor_type: str, config: dict | None = None, principal=None, **data):
        return sensors.create_sensor(self.deps, principal or self.principal, {
            "name": data.pop("name", f"{sensor_type}-sensor"), "sensor_type": sensor_type,
            "deployment_name": data.pop("deployment_name", "files-dep"), "config": config,
            **data})

    def runs(self, principal: Principal | None = None) -> list:
        with self.deps.uow() as uow:
            items, _ = uow.runs.list((principal or self.principal).org_id, limit=1000)
        return items

    def poll(self, after_seconds: float = 0, fetch=None) -> int:
        now = self.clock.advance(after_seconds)
        return sensors.poll_sensors(self.deps, now, fetch or self.probe)

    def stored(self, sensor_id: str):
        return sensors.get_sensor(self.deps, self.principal, sensor_id)


@pytest.fixture
def sh() -> SensorHarness:
    clock = FakeClock()
    deps = build_deps(clock=clock, task_runner_factory=lambda: ThreadPoolTaskRunner(2),
                      poll_probe=None)
    org, _ = bootstrap(deps, "acme")
    harness = SensorHarness(deps, Principal(org.org_id), clock)
    harness.deploy("files-dep")
    harness.deploy("other-dep")
    return harness


@pytest.fixture
def other_org(sh) -> Principal:
    org, _ = bootstrap(sh.deps, "globex")
    principal = Principal(org.org_id)
    sh.deploy("files-dep", principal)
    return principal
