"""Schemathesis over the whole API: the OpenAPI document must describe what the server does.

The app runs on the embedded default (SQLite database, queue and logs) with one org
bootstrapped. Schemathesis's engine runs every phase the CLI runs (examples, coverage,
fuzzing, and the stateful phase that chains operations over the document's links, so
created flows, deployments, runs, schedules and sensors are reused) with every check on.
Examples are bounded and the seed fixed, so a failure found here is found again.
"""

from __future__ import annotations

import importlib
import sys
import time

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events
from schemathesis.engine.statistic import Statistic

from dagy.application.use_cases.accounts import bootstrap
from dagy.artifacts import build_artifact
from dagy.entrypoints.api import create_app
from dagy.entrypoints.container import build_container
from dagy.entrypoints.settings import DagySettings

SEED = 20240607
MAX_EXAMPLES = 5
STATEFUL_SCENARIOS = 10
STATEFUL_STEPS = 5
# Schemathesis keeps generating within its time budget, so this bounds the run's length;
# the seed and deterministic generation fix what is generated within it.
MAX_SECONDS = 100


# What these operations validate depends on things a JSON Schema cannot state: whether a
# cursor was issued by this API, a cron expression's syntax, whether a name is printable
# (unassigned code points are not), a schedule's start before its end, a sensor's config
# for its type, a ZIP's contents. A schema-valid request may get a 422 there (400 for an
# artifact the store cannot take); every other check stays as strict as everywhere else.
SEMANTIC = {
    "GET /flows": ("422",), "GET /deployments": ("422",), "GET /runs": ("422",),
    "GET /schedules": ("422",), "GET /sensors": ("422",),
    # the log sinks answer an unreadable log cursor with 400, the other cursors with 422
    "GET /runs/{run_id}/task-runs": ("422",), "GET /runs/{run_id}/logs": ("400", "422"),
    "GET /schedules/{schedule_id}/slots": ("422",),
    "GET /api-keys": ("422",), "GET /audit-logs": ("422",), "GET /secrets": ("422",),
    # a secret value's size is counted in UTF-8 bytes, and it holds no NUL
    "PUT /secrets/{secret_name}": ("422",),
    "GET /orgs/{org_id}/members": ("422",), "GET /orgs/{org_id}/invitations": ("422",),
    "POST /artifacts": ("400", "422"), "POST /flows": ("422",),
    "POST /deployments": ("422",), "PATCH /deployments/{deployment_name}": ("422",),
    "POST /runs": ("422",), "POST /schedules": ("422",), "PATCH /schedules/{schedule_id}": ("422",),
    "POST /sensors": ("422",), "PATCH /sensors/{sensor_id}": ("422",),
    "POST /hooks/{token}": ("422",),
    # a range's order, its end in the past, its slot count, the deployment's schedules
    "POST /deployments/{deployment_name}/backfill": ("422",),
    # a retry's from_tasks must name tasks of the run's flow
    "POST /runs/{run_id}/retry": ("422",),
    # a key's expiry must be in the future
    "POST /api-keys": ("422",),
    # an invitation's email must be an address (the schema bounds only its length)
    "POST /orgs/{org_id}/invitations": ("422",),
}
DEFAULT_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429"]
# A PATCH naming a deployment (or flow version) that does not exist answers 404 for that
# reference (a backfill, for a schedule_id not of its deployment); schemathesis reads any
# 404 after a create as "the created resource vanished".
REFERENCES_IN_BODY = ("PATCH /deployments/{deployment_name}", "PATCH /sensors/{sensor_id}",
                      "POST /deployments/{deployment_name}/backfill")

# A real flow and deployment, seeded before the run: schemathesis cannot build a flow's ZIP,
# so generated names are drawn from these often enough to reach deployments, runs,
# schedules and sensors, which the stateful phase then follows over the links.
FLOW_SOURCE = """\
from dagy import flow, task

@task
def double(n: int) -> int:
    return 2 * n

@flow(name="numbers", version="1.0.0")
def numbers(n: int = 1):
    return double(n)
"""
SEEDED = {"flow_name": "numbers", "flow_version": "1.0.0", "deployment_name": "numbers-prod"}


def schemathesis_config(key: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": SEED,
        "max-time": MAX_SECONDS,
        "headers": {"Authorization": f"Bearer {key}"},
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "checks": {"enabled": True},
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True},
                   "fuzzing": {"enabled": True},
                   "stateful": {"enabled": True, "max-steps": STATEFUL_STEPS,
                                "generation": {"max-examples": STATEFUL_SCENARIOS}}},
        "suppress-health-check": ["all"],
        "dictionaries": {name: {"values": [value]} for name, value in SEEDED.items()},
        "parameters": {f"{where}.{name}": {"dictionary": name, "probability": 0.7}
                       for name in SEEDED for where in ("body", "path", "query")},

        "operations": [
            {"include-name": name, "checks": {"positive_data_acceptance": {
                "expected-statuses": [*DEFAULT_ACCEPTED, *statuses]}}}
            for name, statuses in SEMANTIC.items()] + [
            {"include-name": name, "checks": {"ensure_resource_availability": {"enabled": False}}}
            for name in REFERENCES_IN_BODY],

    })



def run_schemathesis(app, key: str) -> tuple[Statistic, list[str], dict[str, int]]:
    """Run every phase; the statistic counts unique failures the way the CLI does."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=schemathesis_config(key))
    statistic, errors, phases, seconds = Statistic(), [], {}, {}
    started = time.monotonic()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.PhaseStarted):
            started = time.monotonic()
        elif isinstance(event, events.PhaseFinished):
            seconds[event.phase.name.value] = round(time.monotonic() - started, 1)
        elif isinstance(event, events.ScenarioFinished):
            statistic.on_scenario_finished(event.recorder)
            phases[event.phase.value] = phases.get(event.phase.value, 0) + len(event.recorder.cases)
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            raise event.exception
        elif isinstance(event, events.EngineFinished):
            statistic.record_run_check_failures(event.failures, label="run")
    print(f"\nphase seconds: {seconds}")
    return statistic, errors, phases


def describe(statistic: Statistic) -> str:
    lines = []
    for label, grouped in sorted(statistic.failures.items()):
        for group in grouped.values():
            for failure in group.failures:
                response = group.response
                status = response.status_code if response is not None else "-"
                answer = response.content[:300] if response is not None else b""
                lines.append(f"{label} [{status}] {failure.title}: {failure.message[:300]}"
                             f"\n    {group.code_sample}\n    answered {answer!r}")
    return "\n".join(lines)


def seed(app, key: str, tmp_path, monkeypatch) -> None:
    """Deploy FLOW_SOURCE through the API, as `dagy deploy` does."""
    module = f"schemathesis_numbers_{tmp_path.name}".replace("-", "_")
    (tmp_path / f"{module}.py").write_text(FLOW_SOURCE)
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    try:
        artifact = build_artifact(importlib.import_module(module).numbers,
                                  output_dir=tmp_path / "dist")
    finally:
        sys.modules.pop(module, None)

    auth = {"Authorization": f"Bearer {key}"}
    with TestClient(app) as client:
        uploaded = client.post("/artifacts", content=artifact.path.read_bytes(),
                               params={"flow_name": "numbers"},
                               headers={**auth, "Content-Type": "application/zip",
                                        "X-Dagy-Code-Hash": artifact.code_hash})
        assert uploaded.status_code == 201, uploaded.text
        registered = client.post("/flows", headers=auth, json={
            "flow_name": "numbers", "flow_version": "1.0.0",
            "artifact_uri": uploaded.json()["artifact_uri"], "code_hash": artifact.code_hash,
            "flow_spec": artifact.read_spec().to_dict()})
        assert registered.status_code == 201, registered.text
        deployed = client.post("/deployments", headers=auth, json={
            "deployment_name": SEEDED["deployment_name"], "flow_name": "numbers"})
        assert deployed.status_code == 201, deployed.text


@pytest.mark.timeout(400)
def test_schemathesis_finds_no_failure_on_sqlite(tmp_path, monkeypatch):

    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    container = build_container(DagySettings(home=tmp_path / "home"))
    try:
        _, key = bootstrap(container.deps, "acme")
        app = create_app(container.deps)
        seed(app, key, tmp_path, monkeypatch)
        statistic, errors, phases = run_schemathesis(app, key)

    finally:
        container.close()
    print(f"\nschemathesis: {statistic.total_cases} cases {phases}, "
          f"{len(statistic.unique_failures_map)} unique failures, {len(errors)} errors")
    assert not errors, "\n".join(errors)
    assert statistic.total_cases > 0 and phases.get("stateful", 0) > 0, phases
    assert not statistic.unique_failures_map, describe(statistic)
