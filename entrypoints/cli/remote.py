"""Commands that talk to a Dagy control plane: `run <deployment>`, `runs ...`
(`deploy` is in deploy_cmd.py, `deployments ...` in deployments.py).

Address and key: DAGY_API_URL / DAGY_API_KEY, else the `--profile` table of
`$DAGY_HOME/profiles.toml` (default `[local]`, written by `dagy server`). API errors are
one line, `error: <message> (HTTP <status>)`, exit 2 for 4xx and 1 for 5xx (see main.py);
an unreachable control plane exits 2. Results and ids go to stdout, progress to stderr.
"""

from __future__ import annotations

import json
import time
from dataclasses import fields
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from dagy.client import DagyClient, DagyConnectionError
from dagy.models import Run
from dagy.domain.errors import DagyError
from dagy.entrypoints.cli.params import parse_params
from dagy.entrypoints.cli.suggest import deployment_hint

ProfileOption = Annotated[Optional[str], typer.Option(
    "--profile", metavar="NAME", help="Profile (table of $DAGY_HOME/profiles.toml; default "
    "local). DAGY_API_URL / DAGY_API_KEY override it.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
POLL_SECONDS = 0.5
STATUS_STYLES = {"SUCCEEDED": "green", "FAILED": "red", "CANCELLED": "magenta",
                 "RUNNING": "yellow", "QUEUED": "cyan", "PAUSED": "yellow", "ACTIVE": "green"}

runs_app = typer.Typer(help="List, inspect, cancel and retry runs on the control plane.",
                       no_args_is_help=True, pretty_exceptions_enable=False)


class RemoteCliError(DagyError):
    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def make_client(profile: str | None) -> DagyClient:
    return DagyClient(profile=profile)


def stdout_console() -> Console:
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=200)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def styled(status: str | None) -> str:
    style = STATUS_STYLES.get(str(status))
    return f"[{style}]{escape(str(status))}[/]" if style else escape(str(status or ""))


def write_line(text: str) -> None:
    typer.echo(text)


def _run_dict(run: Run) -> dict[str, Any]:
    return {f.name: getattr(run, f.name) for f in fields(run) if not f.name.startswith("_")}


def remote_run(deployment: str, param: list[str] | None, params_json: str | None,
               wait: bool, timeout: float, profile: str | None, verbose: bool = False) -> None:
    """`dagy run <deployment>`: trigger a run; with `wait`, print its result as JSON (and
    with `verbose`, its task runs on stderr, as a local run shows them)."""
    client = make_client(profile)
    types = _declared_types(client, deployment) if param else None
    try:
        with deployment_hint(client, deployment):
            run = client.trigger_run(deployment, parse_params(param, params_json, types))
    except DagyConnectionError as exc:
        raise RemoteCliError(f"{deployment!r} is taken as a deployment name (it is not a local "
                             "path.py[:flow] file); `dagy run <deployment>` requires a running "
                             f"`dagy server`: {exc}") from None
    if not wait:
        write_line(f"{run.run_id} {run.status}")
        return
    label = run.run_slug or run.run_id
    _stderr().print(f"run [bold]{escape(label)}[/] ({escape(run.run_id)}) of "
                    f"{escape(deployment)}: {styled(run.status)}", soft_wrap=True)
    try:
        run = wait_for_run(client, run, timeout)
    except KeyboardInterrupt:  # the run is the server's: say so, and how to reach it
        raise RemoteCliError(
            f"interrupted: run {label} keeps going on the server; follow it with "
            f"`dagy runs show {run.run_id}` or stop it with `dagy runs cancel {run.run_id}`",
            exit_code=130) from None
    if verbose:
        _stderr().print(task_runs_grid(client.task_runs(run.run_id)))
    if run.status != "SUCCEEDED":
        raise RemoteCliError(f"run {label} {run.status}: "
                             f"{run.error_message or 'no error message'}", exit_code=1)
    write_line(json.dumps(run.result, default=str))


def _declared_types(client: DagyClient, deployment: str) -> dict[str, str] | None:
    """Parameter types of the deployment's flow version, so `--param zip=02134` stays a
    string for a `str` parameter. Best effort: None if they cannot be read."""
    try:
        dep = client.get_deployment(deployment)
        seg = client._seg
        version = client._request(
            "GET", f"/flows/{seg(dep.flow_name)}/versions/{seg(dep.flow_version)}")
        params = (version.get("flow_spec") or {}).get("parameters") or []
        return {p["name"]: p.get("type", "any") for p in params if isinstance(p, dict)}
    except (DagyError, AttributeError, KeyError, TypeError):
        return None


def wait_for_run(client: DagyClient, run: Run, timeout: float) -> Run:
    """Poll until the run is terminal, showing its status on stderr (a live line on a
    terminal, one line per change otherwise). Riding out a restarting control plane."""
    console = _stderr()
    started = time.monotonic()
    deadline = started + timeout
    last = run.status
    label = escape(run.run_slug or run.run_id)
    with console.status(f"run {label}: {styled(run.status)}") as status:
        while not run.is_terminal:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RemoteCliError(
                    f"run {run.run_id} still {run.status} after {timeout:g}s; it keeps "
                    f"going on the server: `dagy runs show {run.run_id}`", exit_code=1)
            time.sleep(min(POLL_SECONDS, remaining))
            note = ""
            try:
                run = client.get_run(run.run_id)
            except DagyConnectionError:
                note = " (control plane unreachable, retrying)"
            text = (f"run {label}: {styled(run.status)} "
                    f"{time.monotonic() - started:.0f}s{note}")
            status.update(text)
            if not console.is_terminal and run.status != last:
                console.print(text, soft_wrap=True)
            last = run.status
    return run


@runs_app.command("list")
def runs_list(
    deployment: Annotated[Optional[str], typer.Option("--deployment", "-d", metavar="NAME")] = None,
    status: Annotated[Optional[str], typer.Option("--status", "-s", metavar="STATUS",
                                                  help="QUEUED, RUNNING, SUCCEEDED, ...")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000)] = 20,
    as_json: JsonOption = False, profile: ProfileOption = None,
) -> None:
    """The newest runs, optionally of one deployment or in one status."""
    runs = make_client(profile).list_runs(deployment_name=deployment, status=status, limit=limit)
    if as_json:
        write_line(json.dumps([_run_dict(r) for r in runs], default=str))
        return
    table = Table("RUN ID", "NAME", "DEPLOYMENT", "STATUS", "CREATED", "COMPLETED")
    for r in runs:
        table.add_row(escape(r.run_id), escape(r.run_slug or ""), escape(r.deployment_name or ""),
                      styled(r.status),
                      _short_time(r.created_at), _short_time(r.completed_at))
    stdout_console().print(table if runs else "no runs")


@runs_app.command("show")
def runs_show(run_id: Annotated[str, typer.Argument(metavar="RUN_ID")],
              as_json: JsonOption = False, profile: ProfileOption = None) -> None:
    """A run's state, parameters, task runs and result."""
    client = make_client(profile)
    run = client.get_run(run_id)
    task_runs = client.task_runs(run_id)
    if as_json:
        write_line(json.dumps({**_run_dict(run), "task_runs": task_runs}, default=str))
        return
    console = stdout_console()
    info = Table.grid(padding=(0, 2))
    for key in ("run_id", "run_slug", "deployment_name", "flow_name", "flow_version",
                "executor", "created_at", "started_at", "completed_at"):
        info.add_row(key, escape(str(getattr(run, key) or "-")))
    info.add_row("status", styled(run.status))
    info.add_row("parameters", escape(json.dumps(run.parameters, default=str)))
    if run.error_message:
        info.add_row("error", f"[red]{escape(run.error_message)}[/]")
    console.print(info)
    console.print(task_runs_grid(task_runs) if task_runs else "no task runs yet")
    for t in task_runs:
        if t.get("status") == "FAILED" and t.get("error_traceback"):
            console.print(f"\n[bold]traceback of {escape(_task_label(t))}[/]")
            console.print(t["error_traceback"], markup=False, highlight=False)
    if run.status == "SUCCEEDED":
        console.print("result " + json.dumps(run.result, default=str), markup=False)


def _task_label(t: dict) -> str:
    name = t.get("task_id") or t.get("task_name") or ""
    if t.get("map_index") is not None and "[" not in name:
        name = f"{name}[{t['map_index']}]"
    return name


def task_runs_grid(task_runs: list[dict]) -> Table:
    """The task runs of a run as the API answers them: one row each."""
    tasks = Table("TASK", "STATUS", "ATTEMPT", "STARTED", "COMPLETED", "ERROR")
    for t in task_runs:
        tasks.add_row(escape(_task_label(t)), styled(t.get("status")), str(t.get("attempt", "")),
                      _short_time(t.get("started_at")), _short_time(t.get("completed_at")),
                      escape(t.get("error_message") or ""))
    return tasks


@runs_app.command("logs")
def runs_logs(run_id: Annotated[str, typer.Argument(metavar="RUN_ID")],
              follow: Annotated[bool, typer.Option(
                  "--follow", "-f", help="Keep printing new lines until the run ends; exit "
                  "0 if it succeeded, 1 if it failed, 3 if it was cancelled.")] = False,
              profile: ProfileOption = None) -> None:
    """A run's log lines, oldest first."""
    client = make_client(profile)
    if not follow:
        for line in client.logs(run_id):
            _write_log_line(line)
        return
    try:
        status = _follow_logs(client, run_id)
    except KeyboardInterrupt:
        typer.echo(f"error: interrupted: stopped following run {run_id}; it keeps going "
                   f"(dagy runs logs {run_id} --follow)", err=True)
        raise typer.Exit(130) from None
    raise typer.Exit(FOLLOW_EXIT_CODES.get(status, 1))


FOLLOW_EXIT_CODES = {"SUCCEEDED": 0, "COMPLETED": 0, "FAILED": 1, "CANCELLED": 3}
FOLLOW_MAX_SECONDS = 7 * 24 * 3600  # bound on one follow; a run that long is re-followed


def _write_log_line(line: dict) -> None:
    write_line(f"{line.get('timestamp') or '-'} {str(line.get('level') or 'INFO'):<7} "
               f"{line.get('message', '')}")


def _follow_logs(client: DagyClient, run_id: str) -> str:
    """Print pages from the tail cursor as they come; poll with a backoff up to 1 s. Once
    the run is terminal, read what is left and return its status."""
    path = f"/runs/{client._seg(run_id)}/logs"
    cursor: str | None = None
    delay, deadline = 0.1, time.monotonic() + FOLLOW_MAX_SECONDS
    while time.monotonic() < deadline:
        status = client.get_run(run_id).status  # before reading, so no last line is missed
        while True:
            page = client._request("GET", path, query={"cursor": cursor} if cursor else None)
            items = page.get("items") or []
            for line in items:
                _write_log_line(line)
            if page.get("next_cursor"):
                cursor = page["next_cursor"]
            if not items or not page.get("next_cursor"):
                break
            delay = 0.1
        if status in FOLLOW_EXIT_CODES:
            return status
        time.sleep(delay)
        delay = min(1.0, delay * 2)
    raise RemoteCliError(f"run {run_id} still not finished after following it "
                         f"{FOLLOW_MAX_SECONDS} s")


@runs_app.command("cancel")
def runs_cancel(run_id: Annotated[str, typer.Argument(metavar="RUN_ID")],
                profile: ProfileOption = None) -> None:
    """Cancel a queued or running run."""
    run = make_client(profile).cancel_run(run_id)
    write_line(f"{run.run_id} {run.status}")


@runs_app.command("retry")
def runs_retry(run_id: Annotated[str, typer.Argument(metavar="RUN_ID")],
               from_task: Annotated[Optional[list[str]], typer.Option(
                   "--from-task", metavar="TASK",
                   help="Run this task (an id as `runs show` prints it) and everything "
                   "downstream again, even if the run succeeded; repeatable.")] = None,
               profile: ProfileOption = None) -> None:
    """Queue a failed or cancelled run again; tasks and mapped items that succeeded are
    not re-run (with --from-task: except those and their downstream)."""
    run = make_client(profile).retry_run(run_id, from_tasks=from_task or None)
    write_line(f"{run.run_id} {run.status}")


def _short_time(value: Any) -> str:
    """`2024-01-01T12:00:00.123+00:00` -> `2024-01-01 12:00:00`."""
    if not value:
        return "-"
    return str(value).replace("T", " ")[:19]
