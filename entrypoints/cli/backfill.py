"""`dagy backfill DEPLOYMENT --start ... --end ...`: runs for a schedule's past slots.

Without --max-concurrent one request creates every slot's run. With it, the command asks
the server again and again (`max_concurrent` each time): the server creates runs only
while fewer than N of the range's runs are QUEUED or RUNNING and reports the rest as
pending; the command waits for runs to finish, showing slots finished/total on stderr,
until every slot's run has ended. The progress lives in the runs (idempotency keys), so
an interrupted backfill continues when the same command is given again.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dagy.entrypoints.cli.remote import (ProfileOption, RemoteCliError, make_client,
                                         write_line)


def backfill(
    deployment: Annotated[str, typer.Argument(metavar="DEPLOYMENT")],
    start: Annotated[str, typer.Option(
        "--start", metavar="TIME", help="First instant (inclusive), ISO 8601 with offset, "
        "e.g. 2026-01-01T00:00:00Z.")],
    end: Annotated[str, typer.Option(
        "--end", metavar="TIME", help="End of the range (exclusive), not after now.")],
    schedule: Annotated[Optional[str], typer.Option(
        "--schedule", metavar="SCHEDULE_ID",
        help="Which schedule, when the deployment has several.")] = None,
    max_concurrent: Annotated[Optional[int], typer.Option(
        "--max-concurrent", metavar="N", min=1, max=1000,
        help="At most N of the backfill's runs queued or running at a time; waits until "
             "all have finished.")] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", metavar="SECONDS", min=0,
        help="With --max-concurrent: how long to wait in all.")] = 3600,
    poll: Annotated[float, typer.Option(
        "--poll", metavar="SECONDS", min=0.05, max=60,
        help="With --max-concurrent: seconds between checks.")] = 0.5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the last answer as JSON.")] = False,
    profile: ProfileOption = None,
) -> None:
    """Create one run per slot of the deployment's schedule in [--start, --end).

    Each run has its slot's idempotency key, so giving the same backfill again creates
    nothing twice, and the scheduler never fires a backfilled slot again.
    """
    client = make_client(profile)
    answer = client.backfill(deployment, start, end, schedule, max_concurrent)
    created = answer["created"]
    if max_concurrent is not None:
        answer, more = _throttled(client, (deployment, start, end, schedule, max_concurrent),
                                  answer, timeout, poll)
        created += more
    if as_json:
        write_line(json.dumps(answer))
        return
    write_line(_summary(answer, created))


def _throttled(client: Any, call: tuple, answer: dict, timeout: float,
               poll: float) -> tuple[dict, int]:
    """Call again as runs finish until every slot's run has ended (bounded by timeout)."""
    created = 0
    deadline = time.monotonic() + timeout
    columns = (TextColumn("backfill"), BarColumn(), MofNCompleteColumn(),
               TextColumn("slots finished, {task.fields[active]} active, "
                          "{task.fields[pending]} pending"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True, highlight=False)) as progress:
        bar = progress.add_task("backfill", total=answer["total"], completed=answer["finished"],
                                active=answer["active"], pending=answer["pending"])
        for _ in range(int(timeout / poll) + 2):
            if answer["pending"] == 0 and answer["active"] == 0:
                return answer, created
            if time.monotonic() >= deadline:
                break
            time.sleep(poll)
            answer = client.backfill(*call)
            created += answer["created"]
            progress.update(bar, completed=answer["finished"], active=answer["active"],
                            pending=answer["pending"])
    raise RemoteCliError(
        f"backfill not finished after {timeout:g} s: {answer['active']} runs active, "
        f"{answer['pending']} slots pending; give the same command again to continue",
        exit_code=1)


def _summary(answer: dict, created: int) -> str:
    statuses = Counter(s["status"] for s in answer["slots"] if s["status"])
    states = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    return (f"schedule {answer['schedule_id']}: {answer['total']} slots, created {created}, "
            f"existing {answer['total'] - created - answer['pending']}"
            + (f", pending {answer['pending']}" if answer["pending"] else "")
            + (f" ({states})" if states else ""))
