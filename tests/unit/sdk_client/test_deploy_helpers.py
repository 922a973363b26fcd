"""deploy_artifact / deploy_flow / run_flow against the fake control plane.

Artifacts and flows are stand-ins with the attributes the helpers rely on, so these
tests do not depend on how dagy.artifacts builds ZIPs.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dagy.client import DagyApiError
from dagy.deploy import default_deployment_name, deploy_artifact, deploy_flow, run_flow
from dagy.models import Executor
from dagy.domain.flowspec import FlowSpec


@dataclass
class StandInArtifact:
    path: Path
    code_hash: str
    flow_name: str
    flow_version: str
    spec: FlowSpec

    def read_spec(self) -> FlowSpec:
        return self.spec


@dataclass
class StandInFlow:
    name: str = "daily_etl"
    version: str = "1.0"
    namespace: str | None = "team-a"
    tags: dict = field(default_factory=lambda: {"team": "data"})
    default_executor: object = None
    code: bytes = b"v1"

    @property
    def spec(self) -> FlowSpec:
        return FlowSpec(self.name, version=self.version, namespace=self.namespace,
                        tags=self.tags)


def _artifact(tmp_path: Path, code: bytes = b"v1", version: str = "1.0",
              **spec_kw) -> StandInArtifact:
    path = tmp_path / f"daily_etl-{version}.zip"
    path.write_bytes(b"PK" + code)
    spec = FlowSpec("daily_etl", version=version, **spec_kw)
    return StandInArtifact(path, f"hash-{code.decode()}", "daily_etl", version, spec)


@pytest.fixture
def fake_artifacts(monkeypatch, tmp_path):
    """Replace dagy.artifacts with a module whose builder records its calls."""
    module = types.ModuleType("dagy.artifacts")
    module.builds = []

    def build_artifact(flow, output_dir=None):
        module.builds.append(output_dir)
        return _artifact(tmp_path, flow.code, flow.version, namespace=flow.namespace)

    module.build_artifact = build_artifact
    module.LocalArtifact = types.SimpleNamespace(
        open=lambda p: _artifact(Path(p).parent, Path(p).read_bytes()[2:],
                                 Path(p).stem.split("-")[-1]))
    monkeypatch.setitem(sys.modules, "dagy.artifacts", module)
    return module


def test_default_deployment_name():
    assert default_deployment_name("daily_etl_v2") == "daily-etl-v2"


def test_deploy_artifact_uploads_registers_and_deploys(client, control_plane, tmp_path):
    art = _artifact(tmp_path, namespace="team-a", tags={"team": "data"},
                    default_executor="lambda", runtime_tier="nano")
    result = deploy_artifact(art, client=client, schedule="@daily")
    assert (result.skipped, result.deployment_name, result.flow_name, result.flow_version,
            result.code_hash) == (False, "daily-etl", "daily_etl", "1.0", "hash-v1")
    assert control_plane.artifacts[result.artifact_uri] == b"PKv1"
    flow_body = control_plane.calls("POST", "/flows")[0].json
    assert flow_body["flow_spec"] == art.spec.to_dict()
    assert (flow_body["namespace"], flow_body["tags"], flow_body["default_executor"],
            flow_body["artifact_uri"]) == ("team-a", {"team": "data"}, "lambda",
                                            result.artifact_uri)
    dep = control_plane.deployments["daily-etl"]
    assert (dep["flow_version"], dep["schedule"], dep["default_executor"],
            dep["default_runtime_tier"]) == ("1.0", "@daily", "lambda", "nano")
    methods = [(r.method, r.path) for r in control_plane.requests]
    assert methods == [("POST", "/artifacts"), ("POST", "/flows"), ("POST", "/deployments")]


def test_deploy_artifact_overrides_beat_the_spec(client, control_plane, tmp_path):
    art = _artifact(tmp_path, namespace="team-a", default_executor="lambda")
    result = deploy_artifact(art, "nightly", client=client, flow_version="7",
                             namespace="ops", tags={"env": "prod"},
                             default_executor=Executor("ecs", runtime_tier="large"))
    assert (result.deployment_name, result.flow_version) == ("nightly", "7")
    flow_body = control_plane.calls("POST", "/flows")[0].json
    assert (flow_body["flow_version"], flow_body["namespace"], flow_body["tags"],
            flow_body["default_executor"]) == ("7", "ops", {"env": "prod"}, "ecs")
    dep = control_plane.deployments["nightly"]
    assert (dep["default_executor"], dep["default_runtime_tier"]) == ("ecs", "large")


def test_deploy_artifact_accepts_a_zip_path(client, control_plane, tmp_path, fake_artifacts):
    path = _artifact(tmp_path, code=b"z9", version="3").path
    result = deploy_artifact(str(path), client=client)
    assert (result.code_hash, result.flow_version) == ("hash-z9", "3")
    assert control_plane.artifacts[result.artifact_uri] == b"PKz9"


def test_deploy_flow_skips_when_code_hash_already_registered(client, control_plane,
                                                             fake_artifacts, tmp_path):
    flow = StandInFlow()
    first = deploy_flow(flow, client=client, output_dir=tmp_path / "out")
    assert not first.skipped and first.artifact_uri
    assert fake_artifacts.builds == [tmp_path / "out"]
    second = deploy_flow(flow, client=client)
    assert second.skipped and second.artifact_uri is None
    assert (second.deployment_name, second.flow_version, second.code_hash) == (
        "daily-etl", "1.0", "hash-v1")
    assert len(control_plane.calls("POST", "/artifacts")) == 1
    assert len(control_plane.calls("POST", "/flows")) == 1
    assert len(control_plane.calls("POST", "/deployments")) == 1


def test_deploy_flow_force_uploads_again(client, control_plane, fake_artifacts):
    flow = StandInFlow()
    deploy_flow(flow, client=client)
    forced = deploy_flow(flow, client=client, force=True)
    assert not forced.skipped
    assert len(control_plane.calls("POST", "/artifacts")) == 2
    assert len(control_plane.calls("GET", "/flows/daily_etl")) == 1  # force does not ask


def test_deploy_flow_new_code_deploys_new_version(client, control_plane, fake_artifacts):
    deploy_flow(StandInFlow(), client=client)
    result = deploy_flow(StandInFlow(version="2.0", code=b"v2"), client=client)
    assert not result.skipped and result.code_hash == "hash-v2"
    assert control_plane.flows["daily_etl"]["latest_version"] == "2.0"
    assert control_plane.deployments["daily-etl"]["flow_version"] == "2.0"


def test_skipped_deploy_still_creates_a_newly_named_deployment(client, control_plane,
                                                               fake_artifacts):
    deploy_flow(StandInFlow(), client=client)
    result = deploy_flow(StandInFlow(), "etl-hourly", client=client)
    assert result.skipped
    assert control_plane.deployments["etl-hourly"]["flow_version"] == "1.0"
    assert len(control_plane.calls("POST", "/artifacts")) == 1


def test_run_flow_triggers_the_derived_deployment_and_waits(client, control_plane,
                                                            fake_artifacts):
    flow = StandInFlow()
    deploy_flow(flow, client=client)
    run = run_flow(flow, {"day": "2024-01-02"}, client=client)
    assert run.deployment_name == "daily-etl" and run.parameters == {"day": "2024-01-02"}
    assert run.wait(timeout=5, poll_interval=0.01).status == "SUCCEEDED"
    assert control_plane.calls("POST", "/runs")[0].json == {
        "deployment_name": "daily-etl", "parameters": {"day": "2024-01-02"}}
    other = run_flow(flow, None, client=client, deployment_name="daily-etl")
    assert other.parameters == {}


def test_run_flow_of_undeployed_flow_says_to_deploy(client):
    with pytest.raises(DagyApiError, match=r"deployment 'daily-etl' not found.*flow\.deploy\(\)"):
        run_flow(StandInFlow(), {}, client=client)


def test_changed_code_under_same_version_explains_the_conflict(client, control_plane,
                                                               fake_artifacts):
    deploy_flow(StandInFlow(), client=client)
    with pytest.raises(DagyApiError) as info:
        deploy_flow(StandInFlow(code=b"edited"), client=client)
    assert info.value.status == 409
    assert "daily_etl version 1.0 is already registered with different code" in str(info.value)
    assert "new version" in info.value.message
    assert control_plane.deployments["daily-etl"]["flow_version"] == "1.0"


def test_deploy_flow_sends_the_environment_only_when_given(client, control_plane,
                                                           fake_artifacts):
    deploy_flow(StandInFlow(), client=client)
    assert "environment" not in control_plane.calls("POST", "/deployments")[0].json
    deploy_flow(StandInFlow(), "etl-staging", client=client, environment="staging")
    assert control_plane.calls("POST", "/deployments")[1].json["environment"] == "staging"
    deploy_flow(StandInFlow(version="2.0", code=b"v2"), "etl-qa", client=client,
                environment="qa")
    assert control_plane.calls("POST", "/deployments")[2].json["environment"] == "qa"
