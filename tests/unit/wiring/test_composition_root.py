"""The composition root: build_deps wires every port in one call, only it constructs a
Deps, the container owns (and stops) the run admission writer, and building it imports
no boto3 (the S3 poll probe is made when an S3 sensor is first probed)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dagy.adapters.memory.poll_probe import InMemoryPollProbe
from dagy.adapters.memory.repositories import InMemoryStore
from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.application.use_cases.accounts import bootstrap
from dagy.domain.errors import UnavailableError
from dagy.domain.schedules.model import Sensor
from dagy.entrypoints.container import build_container
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.wiring import ProbeOnFirstUse, build_deps

ROOT = Path(__file__).resolve().parents[3]
SOURCE_FOLDERS = ["dagy", "domain", "application", "adapters", "entrypoints", "tests",
                  "benchmarks", "examples", "tools"]
COMPOSITION_ROOT = {Path("entrypoints/wiring.py")}


def test_the_memory_profile_wires_every_port_and_keeps_overrides() -> None:
    deps = build_deps()
    for field in dataclasses.fields(Deps):
        unset_by_default = ("lease_owner", "identity_tokens")  # no DAGY_JWT_* settings
        assert getattr(deps, field.name) is not None or field.name in unset_by_default, \
            field.name
    assert isinstance(deps.poll_probe, InMemoryPollProbe)
    assert deps.secret_cipher.decrypt(deps.secret_cipher.encrypt("s")) == "s"
    org, key = bootstrap(deps, "acme")  # a working store: written and read back
    with deps.uow() as uow:
        assert uow.orgs.get(org.org_id).name == "acme"
    assert build_deps().uow is not deps.uow  # every call gets its own store

    store, clock = InMemoryStore(), object()
    custom = build_deps(DagySettings(lease_seconds=7, max_workers=3), uow=store.unit_of_work,
                        clock=clock, poll_probe=None)
    assert custom.clock is clock and custom.poll_probe is None and custom.lease_seconds == 7
    assert custom.uow == store.unit_of_work
    runner = custom.task_runner_factory()
    try:
        assert runner.capacity == 3  # max_workers sizes the thread pool
    finally:
        runner.close()
    with pytest.raises(TypeError):
        build_deps(max_workers=3)  # not a Deps field any more: the settings value counts


def test_the_server_profile_needs_a_database() -> None:
    with pytest.raises(ValueError, match="database"):
        build_deps(profile="server")


def test_only_the_composition_root_constructs_deps() -> None:
    constructs = re.compile(r"(?<![\w.])Deps\(")
    offenders = []
    for folder in SOURCE_FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if relative in COMPOSITION_ROOT or ".venv" in relative.parts:
                continue
            text = path.read_text(encoding="utf-8")
            offenders += [f"{relative}:{n}" for n, line in enumerate(text.splitlines(), 1)
                          if constructs.search(line)]
    assert offenders == [], f"wire Deps with build_deps (entrypoints/wiring.py): {offenders}"


def test_closing_the_container_stops_the_admission_writer(tmp_path) -> None:
    container = build_container(DagySettings(home=tmp_path / "home"))
    org, _ = bootstrap(container.deps, "acme")
    future = container.admission.submit(Principal(org.org_id), "no-such-deployment")
    assert container.admission.running
    container.close()
    assert not container.admission.running
    assert future.done()  # what was submitted before close was answered
    with pytest.raises(UnavailableError):
        container.admission.submit(Principal(org.org_id), "no-such-deployment")


def test_a_probe_on_first_use_is_built_once_when_first_called() -> None:
    made = []
    inner = InMemoryPollProbe()
    inner.set("s1", "etag:a")

    def make():
        made.append(1)
        return inner

    probe = ProbeOnFirstUse(make)
    assert not probe.built and made == []
    sensor = Sensor("s1", "org", "watch", "polling", "dep", "flow", config={"kind": "http"})
    assert probe(sensor) == ("etag:a", None)
    assert probe(sensor) == ("etag:a", None)
    assert probe.built and made == [1]


def test_building_the_container_imports_no_boto3(tmp_path) -> None:
    script = textwrap.dedent(f"""
        import sys
        from dagy.entrypoints.container import build_container
        from dagy.entrypoints.settings import DagySettings
        container = build_container(DagySettings(home={str(tmp_path / 'home')!r}))
        container.deps.poll_probe  # wired, not yet built
        container.close()
        print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, check=True).stdout.strip()
    assert out == "[]"
