"""`dagy deploy`: ship a flow to the control plane, from a built ZIP or from source.

Two forms share one command, told apart by the argument: a path ending in `.zip` is an
artifact from `dagy build` (the CI form: build once, deploy the same bytes everywhere);
anything else is a `path.py[:flow]` target, loaded with the same rules and errors as
`dagy run` / `dagy build`, built with the same `build_artifact`, then deployed (the
one-step form for the daily loop). A target that cannot be loaded fails before the
control plane is contacted, so nothing is uploaded.

stdout keeps its `key: value` lines (deployment, flow, flow_version, code_hash), which
scripts read; what happened (a new version or unchanged code) goes to stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from dagy.entrypoints.cli import remote
from dagy.entrypoints.cli.loading import load_flow, parse_target
from dagy.entrypoints.cli.stdio import stdout_to_stderr
from dagy.models import DeployResult

HASH_SHOWN = 8  # hex digits of the code hash in the summary line


def deploy(
    target: Annotated[str, typer.Argument(
        metavar="TARGET", help="A built artifact.zip (see `dagy build`), or path.py[:flow] "
        "to build and deploy in one step (:flow may be left out when the file has one "
        "flow).")],
    deployment: Annotated[Optional[str], typer.Option(
        "--deployment", "-d", metavar="NAME", help="Deployment name (default: the flow name "
        "with - for _).")] = None,
    flow_name: Annotated[Optional[str], typer.Option(
        "--flow-name", metavar="NAME", help="Artifacts: register under this flow name instead "
        "of the manifest's.")] = None,
    flow_version: Annotated[Optional[str], typer.Option(
        "--flow-version", metavar="V", help="Register as this version instead of the one the "
        "flow declares (without one, versions are numbered 1, 2, ... by the server).")] = None,
    output_dir: Annotated[Optional[Path], typer.Option(
        "--output-dir", "-o", metavar="DIR", help="Source form: keep the build in DIR "
        "(default: a temporary directory).")] = None,
    requirements: Annotated[Optional[Path], typer.Option(
        "--requirements", "-r", metavar="FILE", help="Source form: a requirements.txt to "
        "vendor into the artifact.")] = None,
    environment: Annotated[Optional[str], typer.Option(
        "--env", "-e", metavar="ENV", help="Environment of a new deployment (default: "
        "development). Deploying into a protected one (production) needs admin; an existing "
        "deployment stays where it is: promote it instead.")] = None,
    profile: remote.ProfileOption = None,
) -> None:
    """Deploy a flow: upload its artifact, register the flow version and point the
    deployment at it. From source, the flow is built first."""
    if target.lower().endswith(".zip"):
        if output_dir is not None or requirements is not None:
            raise remote.RemoteCliError("--output-dir and --requirements apply to a source "
                                        "target (path.py[:flow]); this artifact is built")
        result = _deploy_zip(Path(target), deployment, flow_name, flow_version, profile,
                             environment)
    else:
        if flow_name is not None:
            raise remote.RemoteCliError("--flow-name applies to a built artifact; a source "
                                        "target registers under the flow's own name")
        result = _deploy_source(target, deployment, flow_version, output_dir, requirements,
                                profile, environment)
    _report(result)


def _deploy_zip(artifact: Path, deployment: str | None, flow_name: str | None,
                flow_version: str | None, profile: str | None,
                environment: str | None = None) -> DeployResult:
    from dagy.deploy import deploy_artifact

    if not artifact.is_file():
        raise remote.RemoteCliError(f"artifact not found: {artifact}")
    return deploy_artifact(artifact, deployment, client=remote.make_client(profile),
                           flow_name=flow_name, flow_version=flow_version,
                           environment=environment)


def _deploy_source(target: str, deployment: str | None, flow_version: str | None,
                   output_dir: Path | None, requirements: Path | None,
                   profile: str | None, environment: str | None = None) -> DeployResult:
    from dagy.deploy import deploy_source

    parsed = parse_target(target)
    if parsed.is_spec_file:
        raise remote.RemoteCliError(f"{parsed.path} is a FlowSpec; deploy the .py file that "
                                    "defines the flow, or an artifact.zip")
    if requirements is not None and not requirements.is_file():
        raise remote.RemoteCliError(f"requirements file not found: {requirements}")
    with stdout_to_stderr():  # the flow file's own prints must not mix into stdout
        flow = load_flow(parsed)
        return deploy_source(flow, deployment, client=remote.make_client(profile),
                             output_dir=output_dir, requirements=requirements,
                             flow_version=flow_version, environment=environment)


def summary(result: DeployResult) -> str:
    """`registered etl version 2 (code sha256:1a2b3c4d…)`, or `unchanged: ...` when the
    control plane already had this code as that version."""
    what = (f"{result.flow_name} version {result.flow_version} "
            f"(code sha256:{result.code_hash[:HASH_SHOWN]}…)")
    return f"unchanged: {what}" if result.skipped else f"registered {what}"


def _report(result: DeployResult) -> None:
    typer.echo(f"{summary(result)}; deployment {result.deployment_name} runs it", err=True)
    remote.write_line(f"deployment: {result.deployment_name}\nflow: {result.flow_name}\n"
                      f"flow_version: {result.flow_version}\ncode_hash: {result.code_hash}")
