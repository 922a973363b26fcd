"""The list use cases the routes call (the API opens no unit of work itself), and the one
owner of the "latest" version rule."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import dagy.entrypoints.api as api_package
from dagy.application.use_cases.deployments import list_deployments
from dagy.application.use_cases.flows import get_flow_version, list_flows
from dagy.application.use_cases.schedules import create_schedule, list_schedules
from dagy.domain.errors import NotFoundError


def test_list_flows_deployments_and_schedules(harness):
    deps, me = harness.deps, harness.principal
    flows, cursor = list_flows(deps, me)
    assert [f.flow_name for f in flows] == ["gated", "numbers"] and cursor is None
    first, cursor = list_flows(deps, me, limit=1)
    assert [f.flow_name for f in first] == ["gated"] and cursor
    assert [f.flow_name for f in list_flows(deps, me, cursor=cursor)[0]] == ["numbers"]
    assert list_flows(deps, me, namespace_prefix="elsewhere")[0] == []
    assert list_flows(deps, me, tags={"team": "none"})[0] == []

    names = [d.deployment_name for d in list_deployments(deps, me)[0]]
    assert names == ["gated-dep", "numbers-dep"]
    assert [d.deployment_name for d in list_deployments(deps, me, flow_name="numbers")[0]] \
        == ["numbers-dep"]

    schedule = create_schedule(deps, me, {"deployment_name": "numbers-dep",
                                          "cron_expression": "0 * * * *"})
    assert [s.schedule_id for s in list_schedules(deps, me)[0]] == [schedule.schedule_id]
    assert list_schedules(deps, me, deployment_name="gated-dep")[0] == []
    assert list_schedules(deps, me, enabled=False)[0] == []


def test_latest_names_the_newest_registered_version(harness):
    deps, me = harness.deps, harness.principal
    newest = list_flows(deps, me)[0][1]
    assert get_flow_version(deps, me, "numbers", "latest").flow_version == newest.flow_version
    with pytest.raises(NotFoundError):
        get_flow_version(deps, me, "numbers", "9.9.9")
    with pytest.raises(NotFoundError):
        get_flow_version(deps, me, "nothing", "latest")


def test_no_route_opens_a_unit_of_work():
    """Routes translate HTTP to use cases; transactions belong to the use cases."""
    folder = Path(api_package.__file__).parent
    offenders = []
    for source in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "uow":
                offenders.append(f"{source.name}:{node.lineno}")
    assert offenders == []
