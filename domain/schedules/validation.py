"""validate_schedule: every field of a Schedule that the time math relies on, checked up front."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import CroniterBadDateError, croniter

from dagy.domain.errors import ValidationError
from dagy.domain.schedules.dst import AMBIGUOUS_CHOICES, NONEXISTENT_CHOICES
from dagy.domain.schedules.model import CATCHUP_POLICIES, MODES

MAX_CATCHUP_RUNS_LIMIT = 10_000

CRON_ALIASES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


def cron_fields(expression: Any) -> tuple[str, ...]:
    """The five fields (minute hour day-of-month month day-of-week) of a cron expression.

    The @yearly/@monthly/@weekly/@daily/@midnight/@hourly aliases are expanded. Raises
    ValidationError for anything that is not exactly five fields (no seconds or year field).
    """
    if not isinstance(expression, str) or not expression.strip():
        raise ValidationError(
            f"cron_expression is required in cron mode (a string like '30 2 * * *'), got {expression!r}")
    return _parse_fields(expression)


@lru_cache(maxsize=4096)
def _parse_fields(expression: str) -> tuple[str, ...]:
    text = CRON_ALIASES.get(expression.strip().lower(), expression)
    fields = text.split()
    if len(fields) != 5:
        raise ValidationError(
            f"cron_expression {expression!r} must have 5 fields "
            f"(minute hour day-of-month month day-of-week), got {len(fields)}")
    if not croniter.is_valid(" ".join(fields)):
        raise ValidationError(f"cron_expression {expression!r} is not a valid cron expression")
    return tuple(fields)


def zone_of(name: Any) -> ZoneInfo:
    """The ZoneInfo of an IANA name, or ValidationError."""
    if not isinstance(name, str) or not name:
        raise ValidationError(f"timezone must be an IANA zone name such as 'Europe/Berlin', got {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError(
            f"timezone {name!r} is not a known IANA zone (e.g. 'UTC', 'Europe/Berlin')") from None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_cron(schedule: Any) -> None:
    fields = cron_fields(schedule.cron_expression)
    try:
        croniter(" ".join(fields), datetime(2000, 1, 1)).get_next(datetime)
    except CroniterBadDateError:
        raise ValidationError(
            f"cron_expression {schedule.cron_expression!r} never matches a date") from None


def _check_mode(schedule: Any) -> None:
    mode = schedule.mode
    if mode not in MODES:
        raise ValidationError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    if mode == "cron":
        _check_cron(schedule)
    elif mode == "interval":
        seconds = schedule.interval_seconds
        if not _is_int(seconds) or seconds < 1:
            raise ValidationError(
                f"interval_seconds must be a whole number of seconds >= 1 in interval mode, got {seconds!r}")
    elif mode == "one_time" and schedule.start_at is None:
        raise ValidationError("start_at is required in one_time mode (the moment of the single run)")


def _check_bounds(schedule: Any) -> None:
    for name in ("start_at", "end_at"):
        value = getattr(schedule, name)
        if value is None:
            continue
        if not isinstance(value, datetime):
            raise ValidationError(f"{name} must be a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationError(
                f"{name} must carry a timezone (e.g. 2027-03-26T02:30:00+01:00 or ...Z), got naive {value}")
    if schedule.start_at is not None and schedule.end_at is not None and schedule.start_at >= schedule.end_at:
        raise ValidationError(
            f"start_at ({schedule.start_at.isoformat()}) must be before end_at ({schedule.end_at.isoformat()})")


def _check_catchup(schedule: Any) -> None:
    if schedule.catchup_policy not in CATCHUP_POLICIES:
        raise ValidationError(
            f"catchup_policy must be one of {', '.join(CATCHUP_POLICIES)}, got {schedule.catchup_policy!r}")
    runs = schedule.max_catchup_runs
    if not _is_int(runs) or not 1 <= runs <= MAX_CATCHUP_RUNS_LIMIT:
        raise ValidationError(
            f"max_catchup_runs must be a whole number from 1 to {MAX_CATCHUP_RUNS_LIMIT}, got {runs!r}")


def _check_dst(policy: Any) -> None:
    if policy is None:
        return
    if not isinstance(policy, dict):
        raise ValidationError(f"dst_policy must be an object like "
                              f"{{'nonexistent': 'shift', 'ambiguous': 'once'}}, got {policy!r}")
    allowed = {"nonexistent": NONEXISTENT_CHOICES, "ambiguous": AMBIGUOUS_CHOICES}
    for key, value in policy.items():
        if key not in allowed:
            raise ValidationError(f"dst_policy has unknown key {key!r} (allowed: nonexistent, ambiguous)")
        if value not in allowed[key]:
            raise ValidationError(
                f"dst_policy.{key} must be one of {', '.join(allowed[key])}, got {value!r}")


def validate_schedule(schedule: Any) -> None:
    """Raise ValidationError naming the first field of the schedule that is wrong."""
    _check_mode(schedule)
    zone_of(schedule.timezone)
    _check_bounds(schedule)
    _check_catchup(schedule)
    _check_dst(schedule.dst_policy)
