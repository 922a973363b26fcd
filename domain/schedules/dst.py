"""Wall-clock time <-> instants in an IANA zone, with Dagy's explicit DST policy.

All instants are int epoch seconds (UTC). A *wall* is a naive datetime read on the
clocks of the zone. Mapping a wall to instants has three cases:

- normal: exactly one instant;
- nonexistent (spring-forward gap): ``shift`` -> the transition instant (the first
  valid instant after the gap), ``skip`` -> no instant;
- ambiguous (fall-back fold): ``once`` -> the first occurrence (fold=0),
  ``twice`` -> both occurrences (fold=0, then fold=1).

Both mappings "fold=0" and "fold=1" (with gaps shifted) are non-decreasing in the
wall, which is what lets the timeline merge them into one increasing stream.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo

from dagy.domain.schedules.model import DEFAULT_DST_POLICY

EPOCH_NAIVE = datetime(1970, 1, 1)
EPOCH_UTC = datetime(1970, 1, 1, tzinfo=timezone.utc)
ONE_SECOND = timedelta(seconds=1)
DAY = 86400

NONEXISTENT_CHOICES = ("shift", "skip")
AMBIGUOUS_CHOICES = ("once", "twice")

# How far around an instant we look for a nearby fall-back when choosing where to
# start (or end) a walk over wall times. Real transitions move clocks by 30 minutes to
# 2 hours; the 25 h sample catches the rare historical day-long jumps.
_SAMPLES = (1800, 3600, 5400, 7200, 10800, 90000)


def dst_choices(policy: dict[str, str] | None) -> tuple[str, str]:
    """(nonexistent, ambiguous) with the defaults filled in for missing keys."""
    merged = {**DEFAULT_DST_POLICY, **(policy or {})}
    return merged["nonexistent"], merged["ambiguous"]


def naive_seconds(wall: datetime) -> int:
    """Seconds of a naive wall time since 1970-01-01 00:00 (no zone applied)."""
    return (wall - EPOCH_NAIVE) // ONE_SECOND


def offset_at(tz: tzinfo, epoch: int) -> int:
    """UTC offset of the zone, in seconds, at an instant."""
    off = (EPOCH_UTC + timedelta(seconds=epoch)).astimezone(tz).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def wall_at(tz: tzinfo, epoch: int) -> datetime:
    """The naive wall time the zone's clocks show at an instant."""
    return EPOCH_NAIVE + timedelta(seconds=epoch + offset_at(tz, epoch))


def floor_epoch(moment: datetime) -> int:
    """Largest epoch second <= moment (a naive moment is read as UTC)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return (moment - EPOCH_UTC) // ONE_SECOND


def ceil_epoch(moment: datetime) -> int:
    """Smallest epoch second >= moment (a naive moment is read as UTC)."""
    return floor_epoch(moment) + (1 if moment.microsecond else 0)


def to_utc(epoch: int) -> datetime:
    return EPOCH_UTC + timedelta(seconds=epoch)


def _transition_in(tz: tzinfo, before: int, after: int) -> int:
    """First instant in (before, after] whose offset differs from the offset at before."""
    base = offset_at(tz, before)
    lo, hi = before, after
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if offset_at(tz, mid) == base:
            lo = mid
        else:
            hi = mid
    return hi


def resolve_wall(wall: datetime, tz: tzinfo, nonexistent: str, ambiguous: str) -> list[int]:
    """The instants (0, 1 or 2, increasing) a wall time stands for under the DST policy."""
    first = wall.replace(tzinfo=tz, fold=0).utcoffset()
    second = wall.replace(tzinfo=tz, fold=1).utcoffset()
    base = naive_seconds(wall)
    off0 = int(first.total_seconds()) if first is not None else 0
    if first == second:
        return [base - off0]
    off1 = int(second.total_seconds()) if second is not None else 0
    if off0 > off1:  # fold: fold=0 is the earlier instant (clocks still ahead)
        return [base - off0, base - off1] if ambiguous == "twice" else [base - off0]
    if nonexistent == "skip":  # gap: fold=0 reads with the offset before, fold=1 after
        return []
    return [_transition_in(tz, base - off1, base - off0)]


def day_start(tz: tzinfo, day: date) -> int:
    """The first instant of a local date (midnight, or the end of a gap covering it)."""
    return resolve_wall(datetime(day.year, day.month, day.day), tz, "shift", "once")[0]


def is_plain_day(tz: tzinfo, day: date) -> bool:
    """True when no clock change touches the local date (24 h long, one offset throughout)."""
    start = day_start(tz, day)
    end = day_start(tz, day + timedelta(days=1))
    if end - start != DAY:
        return False
    off = offset_at(tz, start)
    return all(offset_at(tz, e) == off for e in (start - 1, end - 1, end))


def forward_margin(tz: tzinfo, epoch: int) -> int:
    """How far (s) before wall_at(epoch) a wall can be whose instant is after epoch (a fold ahead)."""
    here = offset_at(tz, epoch)
    return max(0, here - min(offset_at(tz, epoch + s) for s in _SAMPLES))


def backward_margin(tz: tzinfo, epoch: int) -> int:
    """How far (s) after wall_at(epoch) a wall can be whose instant is before epoch (a fold behind)."""
    here = offset_at(tz, epoch)
    return max(0, max(offset_at(tz, epoch - s) for s in _SAMPLES) - here)
