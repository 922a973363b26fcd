"""`dagy schedules show`'s output: the schedule, then its recent slots, each on one line
with what became of it (the run and its status, or why it was refused), so a slot that
could not run is visible where users look."""

from __future__ import annotations

import json
from typing import Any

from dagy.entrypoints.cli.remote import write_line


def _when(s: dict[str, Any]) -> str:
    if s.get("cron_expression"):
        return f"cron {s['cron_expression']} ({s['timezone']})"
    if s.get("interval_seconds"):
        return f"every {s['interval_seconds']} s"
    return f"once at {s.get('start_at') or '-'}" if s["mode"] == "one_time" else s["mode"]


def slot_line(slot: dict[str, Any]) -> str:
    if slot["status"] == "refused":
        return f"  {slot['scheduled_for']}  refused    {slot.get('reason') or '-'}"
    run = slot.get("run_id") or "-"
    return f"  {slot['scheduled_for']}  triggered  {run} {slot.get('run_status') or '(gone)'}"


def render(schedule: dict[str, Any], slots: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        write_line(json.dumps({"schedule": schedule, "slots": slots}))
        return
    write_line(f"schedule {schedule['schedule_id']}  deployment {schedule['deployment_name']}"
               f"  {_when(schedule)}  {'enabled' if schedule['enabled'] else 'disabled'}")
    write_line(f"parameters {json.dumps(schedule.get('parameters') or {})}")
    write_line(f"next run {schedule.get('next_run_at') or '-'}  last triggered "
               f"{schedule.get('last_triggered_at') or '-'}")
    refused = schedule.get("refused_slots") or 0
    if refused:
        last = schedule.get("last_refused") or {}
        write_line(f"refused slots: {refused} (newest {last.get('scheduled_for', '-')}: "
                   f"{last.get('reason') or '-'})")
    if not slots:
        write_line("no slots recorded yet")
        return
    write_line(f"recent slots (UTC, newest first, {len(slots)} shown):")
    for slot in slots:
        write_line(slot_line(slot))
