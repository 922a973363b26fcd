"""Ship built artifacts to the control plane and start runs of them.

`Flow.deploy()` and `Flow.run()` are thin wrappers over `deploy_flow` and `run_flow`;
`deploy_artifact` is the step CI uses when the ZIP was built elsewhere; `deploy_source`
is `dagy deploy file.py:flow` (build + the same deploy steps, in one command).
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from dagy.client import DagyApiError, DagyClient
from dagy.models import DeployResult, Run, split_executor


def default_deployment_name(flow_name: str) -> str:
    """Deployment names are URL-friendly: `daily_etl` deploys as `daily-etl`."""
    return flow_name.replace("_", "-")


def deploy_artifact(artifact: Any, deployment: str | None = None, *,
                    client: DagyClient | None = None, flow_name: str | None = None,
                    flow_version: str | None = None, namespace: str | None = None,
                    tags: dict | None = None, default_executor: Any = None,
                    schedule: str | None = None,
                    environment: str | None = None) -> DeployResult:
    """Upload an artifact, register its flow version and point a deployment at it.

    `artifact` is a LocalArtifact (or a path to its ZIP). Unset options fall back to
    what the artifact's FlowSpec declares. `environment`: where a new deployment goes
    (default development); an existing one stays in its own (another one: 409, promote it).
    """
    if isinstance(artifact, (str, os.PathLike)):
        from dagy.artifacts import LocalArtifact

        artifact = LocalArtifact.open(artifact)
    client = client or DagyClient()
    spec = artifact.read_spec()
    flow_name = flow_name or artifact.flow_name
    flow_version = str(flow_version or artifact.flow_version)
    namespace = namespace or getattr(spec, "namespace", None)
    tags = dict(tags if tags is not None else (getattr(spec, "tags", None) or {}))
    executor, _ = split_executor(default_executor or getattr(spec, "default_executor", None))
    name = deployment or default_deployment_name(flow_name)

    uri = client.upload_artifact(artifact.path, artifact.code_hash, flow_name)
    try:
        registered = client.register_flow(flow_name=flow_name, flow_version=flow_version,
                             flow_spec=spec.to_dict(), artifact_uri=uri,
                             code_hash=artifact.code_hash, namespace=namespace, tags=tags,
                             default_executor=executor)
    except DagyApiError as exc:
        if exc.status == 409:  # versions are immutable: changed code needs a new version
            raise DagyApiError(409, exc.code, f"{flow_name} version {flow_version} is already "
                               "registered with different code; give the flow a new version "
                               "(e.g. @flow(version=...)) and deploy again", exc.details) from None
        raise
    # "latest" (no explicit version) is numbered by the server: 1, 2, ... per flow
    flow_version = str((registered or {}).get("flow_version") or flow_version)
    _point_deployment(client, name, flow_name, flow_version, spec, tags=tags,
                      default_executor=default_executor, schedule=schedule,
                      environment=environment)
    # created=False: this code was already registered as that version (nothing new)
    return DeployResult(skipped=(registered or {}).get("created") is False,
                        deployment_name=name, flow_name=flow_name,
                        flow_version=flow_version, code_hash=artifact.code_hash,
                        artifact_uri=uri)


def deploy_source(flow: Any, deployment: str | None = None, *,
                  client: DagyClient | None = None,
                  output_dir: str | os.PathLike | None = None,
                  requirements: str | os.PathLike | None = None,
                  flow_version: str | None = None,
                  environment: str | None = None) -> DeployResult:
    """`dagy deploy file.py:flow`: build the flow (`build_artifact`, as `dagy build`
    does), then upload, register and point the deployment at the version — unless this
    exact code is already registered as the wanted version, in which case nothing is
    uploaded and the deployment is pointed at that version (`skipped=True`), so reverting
    an edit moves the deployment back. Without `output_dir` the build is a temporary
    directory, removed afterwards (the server keeps the uploaded ZIP)."""
    from dagy.artifacts import build_artifact

    if output_dir is None:
        with tempfile.TemporaryDirectory(prefix="dagy-deploy-") as tmp:
            return deploy_source(flow, deployment, client=client, output_dir=tmp,
                                 requirements=requirements, flow_version=flow_version,
                                 environment=environment)
    artifact = build_artifact(flow, output_dir=output_dir, requirements=requirements)
    client = client or DagyClient()
    wanted = str(flow_version or flow.version)
    existing = _registered_version(client.get_flow(flow.name), artifact.code_hash)
    if existing is None or wanted not in ("", "latest", existing):
        return deploy_artifact(artifact, deployment, client=client, flow_name=flow.name,
                               flow_version=flow_version, environment=environment)
    name = deployment or default_deployment_name(flow.name)
    _point_deployment(client, name, flow.name, existing, artifact.read_spec(),
                      environment=environment)
    return DeployResult(skipped=True, deployment_name=name, flow_name=flow.name,
                        flow_version=existing, code_hash=artifact.code_hash)


def _point_deployment(client: DagyClient, name: str, flow_name: str, flow_version: str,
                      spec: Any, *, tags: dict | None = None, default_executor: Any = None,
                      schedule: str | None = None, environment: str | None = None) -> None:
    """Create the deployment or move it to this version; unset options come from the
    FlowSpec (its tags, executor and runtime tier)."""
    tags = dict(tags if tags is not None else (getattr(spec, "tags", None) or {}))
    executor, tier = split_executor(default_executor or getattr(spec, "default_executor", None))
    client.create_deployment(name, flow_name, flow_version, schedule=schedule,
                             default_executor=executor,
                             default_runtime_tier=tier or getattr(spec, "runtime_tier", None),
                             tags=tags, environment=environment)


def _registered_version(flow_info: dict | None, code_hash: str) -> str | None:
    """The version already registered with this exact code, if any."""
    for version in (flow_info or {}).get("versions") or []:
        if isinstance(version, dict) and version.get("code_hash") == code_hash:
            return str(version.get("flow_version"))
    return None


def deploy_flow(flow: Any, name: str | None = None, *, force: bool = False,
                client: DagyClient | None = None, output_dir: str | os.PathLike | None = None,
                schedule: str | None = None,
                environment: str | None = None) -> DeployResult:
    """Build the flow and deploy it, unless identical code is already registered.

    Skipping keeps redeploys from CI cheap; `force=True` uploads anyway. A skipped
    deploy still creates the named deployment if it does not exist yet, so that
    `flow.deploy(name="x")` followed by a run of "x" works.
    """
    from dagy.artifacts import build_artifact

    artifact = build_artifact(flow, output_dir=output_dir)
    client = client or DagyClient()
    deployment = name or default_deployment_name(flow.name)
    existing = None if force else _registered_version(client.get_flow(flow.name),
                                                      artifact.code_hash)
    if existing is None:
        return deploy_artifact(artifact, deployment, client=client, flow_name=flow.name,
                               namespace=getattr(flow, "namespace", None),
                               tags=getattr(flow, "tags", None),
                               default_executor=getattr(flow, "default_executor", None),
                               schedule=schedule, environment=environment)
    _ensure_deployment(client, deployment, flow, existing, schedule, environment)
    return DeployResult(skipped=True, deployment_name=deployment, flow_name=flow.name,
                        flow_version=existing, code_hash=artifact.code_hash)


def _ensure_deployment(client: DagyClient, deployment: str, flow: Any, version: str,
                       schedule: str | None, environment: str | None = None) -> None:
    try:
        client.get_deployment(deployment)
        return
    except DagyApiError as exc:
        if exc.status != 404:
            raise
    executor, tier = split_executor(getattr(flow, "default_executor", None))
    client.create_deployment(deployment, flow.name, version, schedule=schedule,
                             default_executor=executor, default_runtime_tier=tier,
                             tags=getattr(flow, "tags", None) or None, environment=environment)


def run_flow(flow: Any, parameters: dict | None = None, *, client: DagyClient | None = None,
             deployment_name: str | None = None) -> Run:
    """Trigger a run of the flow's deployment; `.wait()` on the result to block."""
    client = client or DagyClient()
    name = deployment_name or default_deployment_name(flow.name)
    try:
        return client.trigger_run(name, parameters or {})
    except DagyApiError as exc:
        if exc.status == 404:
            raise DagyApiError(exc.status, exc.code,
                               f"deployment {name!r} not found; deploy the flow first "
                               "with flow.deploy()", exc.details) from None
        raise
