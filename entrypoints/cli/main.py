"""The `dagy` command line: run, build and inspect flows defined in local Python files;
serve the control plane (`dagy server`) and work with it (deploy, remote runs, runs,
deployments: see entrypoints/cli/remote.py).

Exit codes: 0 success, 1 a flow run failed (or an unexpected error, or an API 5xx), 2 a
usage error (missing file or flow, bad parameters, invalid DAG, an API 4xx, an
unreachable control plane). Errors are one line on stderr starting with `error: `;
set DAGY_DEBUG=1 to also see the traceback.
"""

from __future__ import annotations

import json
import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from dagy.client import DagyApiError
from dagy.domain.errors import DagyError, ParameterError
from dagy.settings import debug_enabled

from dagy.entrypoints.cli import deploy_cmd, flows_remote, help_style, remote, render
from dagy.entrypoints.cli.backfill import backfill
from dagy.entrypoints.cli.db import db_app
from dagy.entrypoints.cli.deployments import deployments_app
from dagy.entrypoints.cli.environments import environments_app
from dagy.entrypoints.cli.schedules import schedules_app
from dagy.entrypoints.cli.api_keys import api_keys_app, whoami
from dagy.entrypoints.cli.audit import audit_app
from dagy.entrypoints.cli import sessions
from dagy.entrypoints.cli.orgs import invitations_app, members_app, orgs_app
from dagy.entrypoints.cli.sensors import sensors_app
from dagy.entrypoints.cli.secrets import secrets_app
from dagy.entrypoints.cli.loading import (
    is_local_target, load_flow, load_flows, load_spec, parse_target)
from dagy.entrypoints.cli.params import parse_params
from dagy.entrypoints.cli.serve import server
from dagy.entrypoints.cli.stdio import stdout_to_stderr

help_style.apply()

app = typer.Typer(name="dagy", no_args_is_help=True,
                  help="Run, build, deploy and inspect Dagy flows; serve the control plane.",
                  pretty_exceptions_enable=False, add_completion=True)
flows_app = typer.Typer(help="Inspect the flows of a Python file or of the control plane.",
                        no_args_is_help=True,
                        pretty_exceptions_enable=False)
app.add_typer(flows_app, name="flows")
flows_app.command("versions")(flows_remote.flows_versions)
app.add_typer(remote.runs_app, name="runs")
app.add_typer(deployments_app, name="deployments")
app.add_typer(environments_app, name="environments")
app.add_typer(schedules_app, name="schedules")
app.add_typer(sensors_app, name="sensors")
app.add_typer(secrets_app, name="secrets")
app.add_typer(api_keys_app, name="api-keys")
app.add_typer(audit_app, name="audit")
app.add_typer(orgs_app, name="orgs")
app.add_typer(members_app, name="members")
app.add_typer(invitations_app, name="invitations")
app.command("whoami")(whoami)
app.command("login")(sessions.login)
app.command("logout")(sessions.logout)
app.add_typer(db_app, name="db")


class CliError(DagyError):
    """An error the command line reports as one line, with its exit code."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Format(str, Enum):
    text = "text"
    mermaid = "mermaid"
    json = "json"


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _stdout() -> Console:
    return Console(highlight=False)


@app.command()
def run(
    target: Annotated[str, typer.Argument(
        metavar="TARGET", help="path.py[:flow] (where flow is the variable or flow name) to "
        "run locally, or the name of a deployment to run on the control plane.")],
    param: Annotated[Optional[list[str]], typer.Option(
        "--param", "-p", metavar="KEY=VALUE", help="A parameter as key=value; the value is read as JSON "
        "when it parses, else as a string. Repeat for more.")] = None,
    params_json: Annotated[Optional[str], typer.Option(
        "--params-json", metavar="JSON", help="Parameters as a JSON object.")] = None,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Show a summary of the task runs on stderr.")] = False,
    wait: Annotated[bool, typer.Option(
        "--wait", "-w", help="Deployments: wait for the run and print its result.")] = False,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=0, metavar="SECONDS", help="Deployments: how long --wait waits.")] = 300,
    profile: remote.ProfileOption = None,
) -> None:
    """Run a flow locally, or a deployment on the control plane.

    A local flow's result is printed as JSON on stdout. For a deployment the run id and
    status are printed, or with --wait the run's result once it finishes.
    """
    if not is_local_target(target):
        remote.remote_run(target, param, params_json, wait, timeout, profile, verbose)
        return
    parsed = parse_target(target)
    if parsed.is_spec_file:
        raise CliError(f"{parsed.path} is a FlowSpec; run the .py file that defines the flow")
    with stdout_to_stderr():
        flow = load_flow(parsed)
        spec = flow.spec
        params = parse_params(param, params_json, {p.name: p.type for p in spec.parameters})
        try:
            flow.bind(params)
        except ParameterError as exc:
            accepted = ", ".join(render.describe_parameter(p) for p in spec.parameters)
            raise CliError(f"{exc} (flow {flow.name!r} takes: {accepted or 'no parameters'})")
        report = flow.run_local(return_state=True, **params)
    if verbose:
        _stderr().print(render.task_runs_table(report))
    if report.status.value != "SUCCEEDED":
        _error(report.describe_failure())
        raise typer.Exit(1)
    sys.stdout.write(json.dumps(report.result, default=str) + "\n")
    sys.stdout.flush()


@app.command()
def build(
    target: Annotated[str, typer.Argument(
        metavar="TARGET", help="path.py[:flow]; without :flow every flow of the file is built.")],
    output_dir: Annotated[Optional[Path], typer.Option(
        "--output-dir", "-o", metavar="DIR", help="Where to write <flow>/<build id>/artifact.zip "
        "(default: $DAGY_HOME/builds).")] = None,
    requirements: Annotated[Optional[Path], typer.Option(
        "--requirements", "-r", metavar="FILE", help="A requirements.txt to vendor into the artifact.")] = None,
) -> None:
    """Build flows into deployable artifact zips; print one path per line."""
    try:
        from dagy.artifacts import build_artifact
    except ImportError as exc:
        raise CliError(f"building artifacts is not available: {exc}") from None
    if requirements is not None and not requirements.is_file():
        raise CliError(f"requirements file not found: {requirements}")
    parsed = parse_target(target)
    err = _stderr()
    with stdout_to_stderr():
        flows = load_flows(parsed)
        artifacts = []
        for flow in flows:
            artifact = build_artifact(flow, output_dir=output_dir, requirements=requirements)
            err.print(f"[green]built[/] [bold]{flow.name}[/] {flow.version} "
                      f"code_hash={artifact.code_hash}", soft_wrap=True)
            artifacts.append(artifact)
    for artifact in artifacts:
        sys.stdout.write(f"{artifact.path}\n")
    sys.stdout.flush()


@flows_app.command("show")
def flows_show(
    target: Annotated[str, typer.Argument(
        metavar="TARGET", help="path.py[:flow] or a FlowSpec .json file.")],
    format: Annotated[Format, typer.Option(
        "--format", "-f", help="text (a tree), mermaid, or json (the FlowSpec).")] = Format.text,
) -> None:
    """Show a flow's DAG."""
    with stdout_to_stderr():
        spec = load_spec(parse_target(target))
    if format is Format.json:
        sys.stdout.write(render.render_json(spec) + "\n")
    elif format is Format.mermaid:
        sys.stdout.write(render.render_mermaid(spec) + "\n")
    else:
        _stdout().print(render.text_view(spec))
    sys.stdout.flush()


@flows_app.command("list")
def flows_list(
    target: Annotated[Optional[str], typer.Argument(
        metavar="FILE", help="A Python file with flows.")] = None,
    on_server: Annotated[bool, typer.Option(
        "--remote", help="The flows registered on the control plane, with their versions.")] = False,
    as_json: remote.JsonOption = False,
    profile: remote.ProfileOption = None,
) -> None:
    """List the flows of a Python file, or with --remote those registered on the server."""
    if on_server:
        flows_remote.remote_flows_list(profile, as_json)
        return
    if target is None or as_json:
        raise CliError("give a FILE (no --json), or --remote for the flows on the control plane")
    with stdout_to_stderr():
        flows = load_flows(parse_target(target))
        table = render.flows_table(flows)
    _stdout().print(table)


@app.command()
def version() -> None:
    """Print the Dagy version."""
    import dagy
    typer.echo(f"dagy {dagy.__version__}")


def _print_version(wanted: bool) -> None:
    if wanted:
        version()
        raise typer.Exit(0)


@app.callback()
def _options(
    show_version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="Print the Dagy version and exit.")] = False,
) -> None:
    """Options before the command; `--version` is eager, so it needs no command."""


app.command()(deploy_cmd.deploy)
app.command()(server)
app.command()(backfill)


def _one_line(message: str) -> str:
    return " ".join(part.strip() for part in str(message).splitlines() if part.strip())


def _error(message: str) -> None:
    sys.stderr.write(f"error: {_one_line(message) or 'unknown error'}\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> None:
    """Run the app; turn errors into one line on stderr and an exit code."""
    debug = debug_enabled()
    try:
        app(args=argv, prog_name="dagy")
    except DagyApiError as exc:
        if debug:
            traceback.print_exc()
        _error(f"{exc.message} (HTTP {exc.status})")
        sys.exit(2 if 400 <= exc.status < 500 else 1)
    except (CliError, DagyError) as exc:
        if debug:
            traceback.print_exc()
        _error(str(exc))
        sys.exit(getattr(exc, "exit_code", 2))
    except KeyboardInterrupt:
        _error("interrupted")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            traceback.print_exc()
        _error(f"{type(exc).__name__}: {exc}")
        sys.exit(1)


if __name__ == "__main__":
    main()
