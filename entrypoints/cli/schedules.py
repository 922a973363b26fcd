"""`dagy schedules create|list|show|preview|enable|disable|delete|run`: schedules on the
control plane."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from dagy.entrypoints.cli import remote, schedule_show
from dagy.entrypoints.cli.params import parse_params
from dagy.entrypoints.cli.remote import JsonOption, ProfileOption, stdout_console, write_line

schedules_app = typer.Typer(help="Create, list, show, preview, enable, disable and run schedules.",
                            no_args_is_help=True, pretty_exceptions_enable=False)
IdArgument = Annotated[str, typer.Argument(metavar="SCHEDULE_ID")]


@schedules_app.command("create")
def create(
    deployment: Annotated[str, typer.Option("--deployment", "-d", help="Deployment to run.")],
    cron: Annotated[Optional[str], typer.Option("--cron", help="5-field cron, local time.")] = None,
    interval: Annotated[Optional[int], typer.Option("--interval", help="Seconds.")] = None,
    at: Annotated[Optional[str], typer.Option("--at", help="One run at this ISO time.")] = None,
    tz: Annotated[str, typer.Option("--timezone", "--tz", help="IANA zone.")] = "UTC",
    catchup: Annotated[str, typer.Option("--catchup", help="none | all")] = "none",
    nonexistent: Annotated[str, typer.Option(help="DST gap: shift | skip")] = "shift",
    ambiguous: Annotated[str, typer.Option(help="DST fold: once | twice")] = "once",
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p")] = None,
    profile: ProfileOption = None,
) -> None:
    """Create a schedule for a deployment (exactly one of --cron, --interval, --at)."""
    chosen = [flag for flag, value in (("--cron", cron), ("--interval", interval), ("--at", at))
              if value is not None]
    if len(chosen) != 1:
        raise typer.BadParameter("give exactly one of --cron, --interval or --at")
    mode = {"--cron": "cron", "--interval": "interval", "--at": "one_time"}[chosen[0]]
    created = remote.make_client(profile).create_schedule(
        deployment, mode=mode, cron_expression=cron, interval_seconds=interval, start_at=at,
        timezone=tz, catchup_policy=catchup, parameters=parse_params(param or []) or None,
        dst_policy={"nonexistent": nonexistent, "ambiguous": ambiguous})
    write_line(f"{created['schedule_id']} next run {created['next_run_at'] or '-'}")


@schedules_app.command("list")
def list_(deployment: Annotated[Optional[str], typer.Option("--deployment", "-d")] = None,
          as_json: JsonOption = False, profile: ProfileOption = None) -> None:
    """Every schedule (of one deployment with --deployment)."""
    items = remote.make_client(profile).list_schedules(deployment)
    if as_json:
        write_line(json.dumps(items))
        return
    table = Table("ID", "DEPLOYMENT", "MODE", "WHEN", "TIMEZONE", "ENABLED", "NEXT RUN (UTC)")
    for s in items:
        when = s.get("cron_expression") or (f"every {s['interval_seconds']} s"
                                            if s.get("interval_seconds") else s.get("start_at"))
        table.add_row(*(escape(str(v) if v is not None else "-") for v in (
            s["schedule_id"], s["deployment_name"], s["mode"], when, s["timezone"],
            "yes" if s["enabled"] else "no", s.get("next_run_at"))))
    stdout_console().print(table if items else "no schedules")


@schedules_app.command("preview")
def preview(schedule_id: IdArgument,
            count: Annotated[int, typer.Option("--count", "-n", min=1, max=1000)] = 10,
            after: Annotated[Optional[str], typer.Option("--after", help="ISO time.")] = None,
            profile: ProfileOption = None) -> None:
    """The next slots, in the schedule's local time and in UTC."""
    for slot in remote.make_client(profile).preview_schedule(schedule_id, count, after):
        write_line(f"{slot['local']}  {slot['utc']}")


@schedules_app.command("show")
def show(schedule_id: IdArgument,
         limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=100,
                                            help="Recent slots to list.")] = 20,
         as_json: JsonOption = False, profile: ProfileOption = None) -> None:
    """A schedule and its recent slots: each slot's run, or why it was refused."""
    client = remote.make_client(profile)
    schedule_show.render(client.get_schedule(schedule_id),
                         client.schedule_slots(schedule_id, limit=limit), as_json)


@schedules_app.command("enable")
def enable(schedule_id: IdArgument, profile: ProfileOption = None) -> None:
    """Enable a schedule (its next slot is computed from now: no catch-up flood)."""
    s = remote.make_client(profile).set_schedule_enabled(schedule_id, True)
    write_line(f"{s['schedule_id']} enabled, next run {s['next_run_at'] or '-'}")


@schedules_app.command("disable")
def disable(schedule_id: IdArgument, profile: ProfileOption = None) -> None:
    """Disable a schedule."""
    s = remote.make_client(profile).set_schedule_enabled(schedule_id, False)
    write_line(f"{s['schedule_id']} disabled")


@schedules_app.command("delete")
def delete(schedule_id: IdArgument,
           yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
           profile: ProfileOption = None) -> None:
    """Delete a schedule (asks first unless --yes); runs it made remain."""
    client = remote.make_client(profile)
    s = client.get_schedule(schedule_id)
    if not yes and not typer.confirm(f"delete schedule {schedule_id} of {s['deployment_name']}?"):
        raise typer.Exit(1)
    client.delete_schedule(schedule_id)
    write_line(f"{schedule_id} deleted")


@schedules_app.command("run")
def run(schedule_id: IdArgument, profile: ProfileOption = None) -> None:
    """Start one run now with the schedule's parameters (its slots are unchanged)."""
    r = remote.make_client(profile).run_schedule(schedule_id)
    write_line(f"{r['run_id']} {r['status']} ({r['deployment_name']})")
