"""Daily cron schedules across real zones with DST: one slot a day, except as the DST policy says.

The expected slots come from an oracle written independently of dagy.domain.schedules.dst:
round-tripping each wall time through zoneinfo, and stepping minute by minute to find
where a gap ends.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_budget import examples

from dagy.domain.schedules.model import Schedule
from dagy.domain.schedules.timeline import Slot, due_slots, next_slot, slots_after


def as_text(slot: Slot) -> dict[str, str]:
    """The slot's wall time (with its offset) and its UTC instant, to the second."""
    return {"local": slot.local.isoformat(), "utc": slot.utc.strftime("%Y-%m-%dT%H:%M:%SZ")}

UTC = timezone.utc
ZONES = ["Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe",
         "Pacific/Chatham", "Asia/Kolkata", "UTC"]


def cron(expr: str, zone: str, nonexistent: str = "shift", ambiguous: str = "once", **kw) -> Schedule:
    return Schedule("s1", "o1", "dep", "flow", mode="cron", cron_expression=expr, timezone=zone,
                    dst_policy={"nonexistent": nonexistent, "ambiguous": ambiguous}, **kw)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- the oracle -----------------------------------------------------------------------------


def _oracle(wall: datetime, tz: ZoneInfo) -> tuple[str, list[datetime]]:
    """('normal'|'gap'|'fold', instants): [t] / [transition] / [first, second]."""
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if first == second:
        return "normal", [first]
    back = [t.astimezone(tz).replace(tzinfo=None) == wall for t in (first, second)]
    if all(back):
        return "fold", sorted([first, second])
    t = min(first, second)  # before the gap: step forward until the clocks jump
    offset = t.astimezone(tz).utcoffset()
    while t.astimezone(tz).utcoffset() == offset:
        t += timedelta(minutes=1)
    return "gap", [t]


@lru_cache(maxsize=None)
def transitions(zone: str, year: int) -> tuple[tuple[datetime, int, int], ...]:
    """(instant, offset before, offset after) in seconds, for each clock change of the year."""
    tz = ZoneInfo(zone)
    found = []
    t = utc(year, 1, 1)
    while t.year == year:
        nxt = t + timedelta(days=1)
        before, after = t.astimezone(tz).utcoffset(), nxt.astimezone(tz).utcoffset()
        if before != after:
            lo, hi = t, nxt
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                lo, hi = (mid, hi) if mid.astimezone(tz).utcoffset() == before else (lo, mid)
            found.append((hi, int(before.total_seconds()), int(after.total_seconds())))
        t = nxt
    return tuple(found)


@st.composite
def daily_cases(draw):
    zone = draw(st.sampled_from(ZONES))
    year = draw(st.integers(2015, 2035))
    changes = transitions(zone, year)
    if changes and draw(st.booleans()):  # aim the cron time into a gap or a fold
        instant, before, after = draw(st.sampled_from(changes))
        edge = instant.replace(tzinfo=None) + timedelta(seconds=min(before, after))
        wall = edge + timedelta(minutes=draw(st.integers(0, abs(after - before) // 60 - 1)))
        hour, minute = wall.hour, wall.minute
    else:
        hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    return (zone, year, hour, minute, draw(st.sampled_from(["shift", "skip"])),
            draw(st.sampled_from(["once", "twice"])))


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(daily_cases())
def test_a_year_of_a_daily_cron_matches_the_oracle(case):
    zone, year, hour, minute, nonexistent, ambiguous = case
    tz = ZoneInfo(zone)
    start, end = datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    schedule = cron(f"{minute} {hour} * * *", zone, nonexistent, ambiguous, start_at=start, end_at=end)
    slots = slots_after(schedule, start - timedelta(seconds=1), 800)

    expected: list[datetime] = []
    kinds: dict[date, str] = {}
    day = date(year, 1, 1)
    while day.year == year:
        kind, instants = _oracle(datetime(day.year, day.month, day.day, hour, minute), tz)
        kinds[day] = kind
        if kind == "gap" and nonexistent == "skip":
            instants = []
        if kind == "fold":
            assert instants[1] - instants[0] == (instants[0].astimezone(tz).utcoffset()
                                                 - instants[1].astimezone(tz).utcoffset())
            instants = instants if ambiguous == "twice" else instants[:1]
        expected += instants
        day += timedelta(days=1)
    expected = sorted(set(t for t in expected if start <= t < end))
    assert [s.utc for s in slots] == expected

    epochs = [s.epoch for s in slots]
    assert epochs == sorted(set(epochs)), "strictly increasing"
    days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    gaps = sum(1 for k in kinds.values() if k == "gap")
    folds = sum(1 for k in kinds.values() if k == "fold")
    assert len(slots) == days - (gaps if nonexistent == "skip" else 0) + (folds if ambiguous == "twice" else 0)
    for slot in slots:
        assert slot.epoch == int(slot.utc.timestamp()) and slot.utc.tzinfo == UTC
        assert slot.local == slot.utc.astimezone(tz)
        assert slot.local.utcoffset() == slot.utc.astimezone(tz).utcoffset()
        assert slot.local.replace(tzinfo=None) == slot.utc.astimezone(tz).replace(tzinfo=None)
        if (slot.local.hour, slot.local.minute) != (hour, minute):
            assert nonexistent == "shift" and kinds[slot.local.date()] == "gap"


@pytest.mark.parametrize("nonexistent, expected", [
    ("shift", [("2027-03-27T02:30:00+01:00", "2027-03-27T01:30:00Z"),
                                ("2027-03-28T03:00:00+02:00", "2027-03-28T01:00:00Z"),
                                ("2027-03-29T02:30:00+02:00", "2027-03-29T00:30:00Z")]),
    ("skip", [("2027-03-27T02:30:00+01:00", "2027-03-27T01:30:00Z"),
                               ("2027-03-29T02:30:00+02:00", "2027-03-29T00:30:00Z"),
                               ("2027-03-30T02:30:00+02:00", "2027-03-30T00:30:00Z")]),
])
def test_berlin_spring_forward(nonexistent, expected):
    schedule = cron("30 2 * * *", "Europe/Berlin", nonexistent)
    got = [(as_text(s)["local"], as_text(s)["utc"]) for s in slots_after(schedule, utc(2027, 3, 27), 3)]
    assert got == expected


@pytest.mark.parametrize("ambiguous, expected", [
    ("once", ["2027-10-31T00:30:00Z", "2027-11-01T01:30:00Z"]),
    ("twice", ["2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z"]),
])
def test_berlin_fall_back(ambiguous, expected):
    schedule = cron("30 2 * * *", "Europe/Berlin", ambiguous=ambiguous)
    got = slots_after(schedule, utc(2027, 10, 30, 12), 2)
    assert [as_text(s)["utc"] for s in got] == expected
    assert as_text(got[0])["local"] == "2027-10-31T02:30:00+02:00"
    if ambiguous == "twice":
        assert as_text(got[1])["local"] == "2027-10-31T02:30:00+01:00"


def test_new_york_spring_forward_and_fall_back():
    shifted = next_slot(cron("30 2 * * *", "America/New_York"), utc(2027, 3, 14))
    assert as_text(shifted) == {"local": "2027-03-14T03:00:00-04:00", "utc": "2027-03-14T07:00:00Z"}
    assert as_text(next_slot(cron("30 2 * * *", "America/New_York", "skip"), utc(2027, 3, 14)))["utc"] \
        == "2027-03-15T06:30:00Z"
    once = slots_after(cron("30 1 * * *", "America/New_York"), utc(2027, 11, 7), 2)
    assert [as_text(s) for s in once] == [
        {"local": "2027-11-07T01:30:00-04:00", "utc": "2027-11-07T05:30:00Z"},
        {"local": "2027-11-08T01:30:00-05:00", "utc": "2027-11-08T06:30:00Z"}]
    twice = slots_after(cron("30 1 * * *", "America/New_York", ambiguous="twice"), utc(2027, 11, 7), 2)
    assert [as_text(s)["utc"] for s in twice] == ["2027-11-07T05:30:00Z", "2027-11-07T06:30:00Z"]


def test_walls_shifted_onto_one_instant_give_one_slot():
    slots = slots_after(cron("*/30 2-3 * * *", "Europe/Berlin"), utc(2027, 3, 28), 3)
    assert [as_text(s)["local"] for s in slots] == [
        "2027-03-28T03:00:00+02:00", "2027-03-28T03:30:00+02:00", "2027-03-29T02:00:00+02:00"]


def test_twice_interleaves_both_passes_of_the_fold_in_time_order():
    schedule = cron("*/30 2 * * *", "Europe/Berlin", ambiguous="twice")
    got = [as_text(s)["local"] for s in slots_after(schedule, utc(2027, 10, 30, 12), 4)]
    assert got == ["2027-10-31T02:00:00+02:00", "2027-10-31T02:30:00+02:00",
                   "2027-10-31T02:00:00+01:00", "2027-10-31T02:30:00+01:00"]
    # starting between the two passes still finds the second pass of 02:00
    assert as_text(next_slot(schedule, utc(2027, 10, 31, 0, 45)))["local"] == "2027-10-31T02:00:00+01:00"


def test_half_hour_dst_and_midnight_gaps():
    lord_howe = next_slot(cron("15 2 * * *", "Australia/Lord_Howe"), utc(2027, 10, 2, 12))
    assert as_text(lord_howe)["local"] == "2027-10-03T02:30:00+11:00"
    twice = slots_after(cron("45 1 * * *", "Australia/Lord_Howe", ambiguous="twice"), utc(2027, 4, 3, 12), 2)
    assert twice[1].epoch - twice[0].epoch == 1800
    # Sao Paulo moved its clocks at midnight (until 2019): 00:30 did not exist on 2018-11-04
    sao = next_slot(cron("30 0 * * *", "America/Sao_Paulo"), utc(2018, 11, 3, 12))
    assert as_text(sao)["local"] == "2018-11-04T01:00:00-02:00"
    chatham = next_slot(cron("0 3 * * *", "Pacific/Chatham"), utc(2027, 9, 25, 12))
    assert as_text(chatham)["local"] == "2027-09-26T03:45:00+13:45"


@pytest.mark.parametrize("ambiguous, latest, due", [("once", "2027-10-31T02:30:00+02:00", 4),
                                                    ("twice", "2027-10-31T02:00:00+01:00", 5)])
def test_latest_due_slot_inside_the_fold(ambiguous, latest, due):
    # now = 02:10 CET: the last due slot can have a later wall time than now (02:30 CEST)
    schedule = cron("*/30 2 * * *", "Europe/Berlin", ambiguous=ambiguous,
                    next_run_epoch=int(utc(2027, 10, 30, 0).timestamp()))
    slots, skipped = due_slots(schedule, utc(2027, 10, 31, 1, 10))
    assert as_text(slots[0])["local"] == latest and skipped + 1 == due
