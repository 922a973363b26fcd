"""Registration without an explicit version numbers versions per flow, skips unchanged
code, and keeps explicit versions immutable, on every repository backend."""

from __future__ import annotations

import threading

import pytest
from artifact_zips import spec_only_zip

from dagy import flow, task
from dagy.application.principal import Principal
from dagy.application.use_cases.accounts import bootstrap
from dagy.application.use_cases.flows import RegisterFlow, register_flow, upload_artifact
from dagy.domain.errors import ConflictError
from dagy.entrypoints.wiring import build_deps


@task
def step(n: int) -> int:
    return n


def make(description: str):
    @flow(name="scraper", description=description)
    def scraper(n: int = 1):
        return step(n)
    return scraper


@pytest.fixture
def ctx(uow_factory):
    deps = build_deps(uow=uow_factory, poll_probe=None)
    org, _ = bootstrap(deps)
    return deps, Principal(org.org_id)


def reg(ctx, flow_obj, version="latest"):
    deps, principal = ctx
    data, code_hash = spec_only_zip(flow_obj)
    uri = upload_artifact(deps, principal, data, flow_obj.name)
    return register_flow(deps, principal, RegisterFlow(flow_obj.name, version, None, uri))


def test_auto_versions_count_up_and_skip_unchanged_code(ctx):
    first, created = reg(ctx, make("a"))
    assert (first.flow_version, created) == ("1", True)
    again, created = reg(ctx, make("a"))
    assert (again.flow_version, created) == ("1", False)
    second, created = reg(ctx, make("b"))
    assert (second.flow_version, created) == ("2", True)
    back, created = reg(ctx, make("a"))  # code of an older version answers that version
    assert (back.flow_version, created) == ("1", False)


def test_explicit_version_with_other_code_conflicts(ctx):
    reg(ctx, make("a"), "1.0.0")
    with pytest.raises(ConflictError):
        reg(ctx, make("b"), "1.0.0")
    assert reg(ctx, make("a"), "1.0.0")[1] is False


def test_concurrent_auto_registrations_take_distinct_numbers(ctx):
    flows = [make(f"d{i}") for i in range(4)]
    results, errors = [], []

    def go(f):
        try:
            results.append(reg(ctx, f)[0].flow_version)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
    threads = [threading.Thread(target=go, args=(f,)) for f in flows]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert sorted(results, key=int) == ["1", "2", "3", "4"]
