"""The pure time math of schedules: which instants a schedule fires at.

Bounds (all to the second): a slot is >= start_at and < end_at (end_at is exclusive).
Cron walks naive wall-clock times of the schedule's zone and maps each to instants
under the DST policy (see dagy.domain.schedules.dst). Interval slots are
anchor + k * interval_seconds (k >= 0), the anchor being start_at (rounded up to the
second) or 1970-01-01T00:00:00Z: plain UTC arithmetic, blind to DST. One-time: start_at.
Manual: never. Naive datetimes given to these functions are read as UTC.
"""

from __future__ import annotations

import copy
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import count as counting, islice
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from croniter import CroniterError, croniter

from dagy.domain.schedules import dst
from dagy.domain.schedules.validation import cron_fields, zone_of

_FAST_COUNT_SPAN = 3 * dst.DAY  # longer ranges are counted day by day, not slot by slot
_CRON_STOP = (CroniterError, OverflowError, ValueError)


@dataclass(frozen=True)
class Slot:
    """One firing instant: epoch seconds, the same instant in UTC and in the schedule's zone."""

    epoch: int
    utc: datetime
    local: datetime


def _slot(epoch: int, tz: ZoneInfo) -> Slot:
    utc = dst.to_utc(epoch)
    return Slot(epoch=epoch, utc=utc, local=utc.astimezone(tz))


# --- cron ---------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _parsed(expression: str) -> croniter:
    return croniter(expression, dst.EPOCH_NAIVE)


def _walker(expression: str, start: datetime) -> croniter:
    """A fresh croniter over naive wall times from `start`, reusing the parsed expression."""
    walker = copy.copy(_parsed(expression))
    walker.set_current(start, force=True)
    return walker


def _cron_epochs(s: Any, tz: ZoneInfo, lo: int, hi: int | None) -> Iterator[int]:
    """Cron instants e with lo < e (< hi when hi is given), strictly increasing."""
    expression = " ".join(cron_fields(s.cron_expression))
    nonexistent, ambiguous = dst.dst_choices(s.dst_policy)
    start = dst.wall_at(tz, lo) - timedelta(seconds=dst.forward_margin(tz, lo) + 1)
    try:
        walls = _walker(expression, start)
    except _CRON_STOP:
        return
    pending: deque[int] = deque()  # second occurrences of folded walls, not yet due
    last = lo

    def ordered(batch: list[int]) -> Iterator[int]:
        # fold=0 and fold=1 instants are each non-decreasing in the wall: merge them.
        if batch:
            while pending and pending[0] < batch[0]:
                yield pending.popleft()
            yield batch[0]
            pending.extend(batch[1:])
        else:
            yield from pending
            pending.clear()

    while True:
        try:
            wall = walls.get_next(datetime)
            batch = dst.resolve_wall(wall, tz, nonexistent, ambiguous)
            done = False
        except _CRON_STOP:
            batch, done = [], True
        if not batch and not done:
            continue
        for epoch in ordered(batch):
            if hi is not None and epoch >= hi:
                return
            if epoch > last:
                last = epoch
                yield epoch
        if done:
            return


def _cron_latest(s: Any, tz: ZoneInfo, lo: int, hi: int) -> int | None:
    """The last cron instant e with lo < e <= hi, walking wall times backwards from hi."""
    expression = " ".join(cron_fields(s.cron_expression))
    nonexistent, ambiguous = dst.dst_choices(s.dst_policy)
    start = dst.wall_at(tz, hi) + timedelta(seconds=dst.backward_margin(tz, hi) + 1)
    try:
        walls = _walker(expression, start)
    except _CRON_STOP:
        return None
    best: int | None = None
    while True:
        try:
            batch = dst.resolve_wall(walls.get_prev(datetime), tz, nonexistent, ambiguous)
        except _CRON_STOP:
            return best
        for epoch in batch:
            if lo < epoch <= hi and (best is None or epoch > best):
                best = epoch
        # every earlier wall maps to instants <= batch[-1]: once that is <= hi, we are done
        if batch and batch[-1] <= hi:
            return best


def _count_walls_per_day(fields: tuple[str, ...]) -> int:
    minutes, hours = _parsed(" ".join(fields)).expanded[:2]
    return (60 if minutes == ["*"] else len(minutes)) * (24 if hours == ["*"] else len(hours))


def _cron_count(s: Any, tz: ZoneInfo, lo: int, hi: int) -> int:
    """How many cron instants e with lo < e <= hi; O(days) rather than O(slots) when long."""
    if hi <= lo:
        return 0
    if hi - lo <= _FAST_COUNT_SPAN:
        return sum(1 for _ in _cron_epochs(s, tz, lo, hi + 1))
    one_day = timedelta(days=1)
    first_day = dst.wall_at(tz, lo + 1).date() + one_day
    last_day = dst.wall_at(tz, hi).date() - one_day
    middle_start, middle_end = dst.day_start(tz, first_day), dst.day_start(tz, last_day + one_day)
    total = sum(1 for _ in _cron_epochs(s, tz, lo, middle_start))
    total += sum(1 for _ in _cron_epochs(s, tz, middle_end - 1, hi + 1))
    fields = cron_fields(s.cron_expression)
    per_day = _count_walls_per_day(fields)
    matching = _matching_days(fields, first_day, last_day)
    day = first_day
    while day <= last_day:
        if not dst.is_plain_day(tz, day):
            start, end = dst.day_start(tz, day), dst.day_start(tz, day + one_day)
            total += sum(1 for _ in _cron_epochs(s, tz, start - 1, end))
        elif day in matching:
            total += per_day
        day += one_day
    return total


def _matching_days(fields: tuple[str, ...], first: date, last: date) -> set[date]:
    """Local dates in [first, last] on which the day-of-month/month/day-of-week fields match."""
    days = _walker(f"0 0 {fields[2]} {fields[3]} {fields[4]}",
                   datetime(first.year, first.month, first.day) - dst.ONE_SECOND)
    found: set[date] = set()
    while True:
        try:
            day = days.get_next(datetime).date()
        except _CRON_STOP:
            return found
        if day > last:
            return found
        found.add(day)


# --- all modes ----------------------------------------------------------------------------


def _window(s: Any, lo: int) -> tuple[int, int | None]:
    """Apply the bounds: (exclusive lower epoch, exclusive upper epoch or None)."""
    if s.start_at is not None:
        lo = max(lo, dst.ceil_epoch(s.start_at) - 1)
    return lo, (dst.ceil_epoch(s.end_at) if s.end_at is not None else None)


def _interval_k(s: Any, lo: int) -> tuple[int, int]:
    """(anchor, first k >= 0 with anchor + k * interval > lo)."""
    anchor = dst.ceil_epoch(s.start_at) if s.start_at is not None else 0
    return anchor, max(0, (lo - anchor) // s.interval_seconds + 1)


def _epochs(s: Any, tz: ZoneInfo, lo: int, hi: int | None) -> Iterator[int]:
    """Every slot epoch e of the schedule with lo < e < hi (bounds applied), increasing."""
    lo, end = _window(s, lo)
    hi = end if hi is None else (hi if end is None else min(hi, end))
    if hi is not None and hi <= lo + 1:
        return iter(())
    if s.mode == "cron":
        return _cron_epochs(s, tz, lo, hi)
    if s.mode == "interval":
        anchor, k = _interval_k(s, lo)
        step = s.interval_seconds
        first = anchor + k * step
        if hi is None:
            return counting(first, step)
        return iter(range(first, hi, step))
    if s.mode == "one_time" and s.start_at is not None:
        epoch = dst.ceil_epoch(s.start_at)
        return iter([epoch] if lo < epoch and (hi is None or epoch < hi) else [])
    return iter(())


def _count_and_latest(s: Any, tz: ZoneInfo, lo: int, hi: int) -> tuple[int, int | None]:
    """(number of slots in (lo, hi], the last of them) with bounds applied."""
    lo, end = _window(s, lo)
    if end is not None:
        hi = min(hi, end - 1)
    if hi <= lo:
        return 0, None
    if s.mode == "interval":
        anchor, k_first = _interval_k(s, lo)
        if hi < anchor:
            return 0, None
        k_last = (hi - anchor) // s.interval_seconds
        if k_last < k_first:
            return 0, None
        return k_last - k_first + 1, anchor + k_last * s.interval_seconds
    if s.mode == "cron":
        latest = _cron_latest(s, tz, lo, hi)
        return (0, None) if latest is None else (_cron_count(s, tz, lo, hi), latest)
    found = list(_epochs(s, tz, lo, hi + 1))
    return len(found), (found[-1] if found else None)


# --- public API ---------------------------------------------------------------------------


def slots_after(schedule: Any, after: datetime, count: int) -> list[Slot]:
    """The next `count` slots strictly after `after` (start_at inclusive, end_at exclusive)."""
    if count <= 0 or schedule.mode == "manual":
        return []
    tz = zone_of(schedule.timezone)
    epochs = _epochs(schedule, tz, dst.floor_epoch(after), None)
    return [_slot(e, tz) for e in islice(epochs, count)]


def next_slot(schedule: Any, after: datetime) -> Slot | None:
    """The first slot strictly after `after`, or None when the schedule fires no more."""
    found = slots_after(schedule, after, 1)
    return found[0] if found else None


def slots_between(schedule: Any, start: datetime, end: datetime, limit: int) -> list[Slot]:
    """The first `limit` slots s with start <= s < end, the schedule's own start_at/end_at
    applied: exactly the slots a tick fires in that range (a backfill creates these)."""
    if limit <= 0 or schedule.mode == "manual":
        return []
    tz = zone_of(schedule.timezone)
    epochs = _epochs(schedule, tz, dst.ceil_epoch(start) - 1, dst.ceil_epoch(end))
    return [_slot(e, tz) for e in islice(epochs, limit)]


def count_between(schedule: Any, start: datetime, end: datetime) -> int:
    """How many slots s with start <= s < end (O(days) for cron, O(1) for intervals)."""
    if schedule.mode == "manual":
        return 0
    lo, hi = dst.ceil_epoch(start) - 1, dst.ceil_epoch(end) - 1
    return _count_and_latest(schedule, zone_of(schedule.timezone), lo, hi)[0]


def due_slots(schedule: Any, now: datetime) -> tuple[list[Slot], int]:
    """Slots due at `now` (epoch <= now) under the catch-up policy, and how many were left out.

    Due slots start at schedule.next_run_epoch (inclusive). Without one, they start strictly
    after schedule.created_at; without that either nothing is due (call advance() first).
    catchup "none" returns only the latest due slot; "all" returns the earliest
    max_catchup_runs due slots in order. The int counts the due slots not returned.
    """
    if schedule.mode == "manual":
        return [], 0
    if schedule.next_run_epoch is not None:
        lo = int(schedule.next_run_epoch) - 1
    elif schedule.created_at is not None:
        lo = dst.floor_epoch(schedule.created_at)
    else:
        return [], 0
    tz = zone_of(schedule.timezone)
    hi = dst.floor_epoch(now)
    if schedule.catchup_policy == "all":
        cap = schedule.max_catchup_runs
        first = list(islice(_epochs(schedule, tz, lo, hi + 1), cap + 1))
        if len(first) <= cap:
            return [_slot(e, tz) for e in first], 0
        total, _ = _count_and_latest(schedule, tz, lo, hi)
        return [_slot(e, tz) for e in first[:cap]], total - cap
    total, latest = _count_and_latest(schedule, tz, lo, hi)
    if latest is None:
        return [], 0
    return [_slot(latest, tz)], total - 1


def advance(schedule: Any, after_slot: Slot | None, now: datetime) -> tuple[int | None, datetime | None]:
    """(next_run_epoch, next_run_at) of the first slot strictly after max(now, after_slot)."""
    after = now
    if after_slot is not None and after_slot.epoch > dst.floor_epoch(now):
        after = after_slot.utc
    found = next_slot(schedule, after)
    return (found.epoch, found.utc) if found is not None else (None, None)

