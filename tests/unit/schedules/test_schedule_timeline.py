"""Slots of every mode, bounds, catch-up (due_slots), advance, validation and speed."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_budget import examples

from dagy.domain.errors import ValidationError
from dagy.domain.schedules.model import Schedule
from dagy.domain.schedules.timeline import Slot, advance, due_slots, next_slot, slots_after
from dagy.domain.schedules.validation import validate_schedule

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")


def make(**kw) -> Schedule:
    return Schedule("s1", "o1", "dep", "flow", **kw)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def as_text(slot: Slot) -> dict[str, str]:
    """The slot's wall time (with its offset) and its UTC instant, to the second."""
    return {"local": slot.local.isoformat(), "utc": slot.utc.strftime("%Y-%m-%dT%H:%M:%SZ")}


def test_slot_holds_the_instant_in_utc_and_in_the_zone():
    slot = next_slot(make(cron_expression="30 2 * * *", timezone="Europe/Berlin"), utc(2027, 3, 25, 12))
    assert slot == Slot(epoch(utc(2027, 3, 26, 1, 30)), utc(2027, 3, 26, 1, 30),
                        datetime(2027, 3, 26, 2, 30, tzinfo=BERLIN))
    assert as_text(slot) == {"local": "2027-03-26T02:30:00+01:00", "utc": "2027-03-26T01:30:00Z"}


def test_cron_bounds_start_inclusive_end_exclusive():
    schedule = make(cron_expression="0 * * * *", start_at=utc(2027, 1, 1, 10), end_at=utc(2027, 1, 1, 13))
    assert [s.utc.hour for s in slots_after(schedule, utc(2000, 1, 1), 10)] == [10, 11, 12]
    assert [s.utc.hour for s in slots_after(schedule, utc(2027, 1, 1, 10), 10)] == [11, 12]
    assert next_slot(schedule, utc(2027, 1, 1, 12)) is None
    assert slots_after(schedule, utc(2000, 1, 1), 0) == []


def test_cron_that_never_fires_again_ends_cleanly():
    leap = make(cron_expression="0 0 29 2 *")
    assert next_slot(leap, utc(2027, 3, 1)).utc == utc(2028, 2, 29)
    assert next_slot(make(cron_expression="@daily", end_at=utc(2027, 1, 1)), utc(2027, 1, 1)) is None


def test_interval_ignores_dst_and_keeps_constant_gaps():
    start = datetime(2027, 3, 27, 12, tzinfo=BERLIN)
    schedule = make(mode="interval", interval_seconds=6 * 3600, timezone="Europe/Berlin", start_at=start)
    slots = slots_after(schedule, start - timedelta(days=1), 8)
    assert slots[0].utc == start
    assert {b.epoch - a.epoch for a, b in zip(slots, slots[1:])} == {6 * 3600}
    assert [s.local.hour for s in slots[:5]] == [12, 18, 0, 7, 13]  # wall hours move across the gap
    for slot in slots:
        assert slot.local == slot.utc.astimezone(BERLIN)


@settings(max_examples=examples(100), deadline=None)
@given(step=st.integers(1, 10 ** 6), anchor=st.integers(0, 2 * 10 ** 9),
       after=st.integers(-10 ** 9, 3 * 10 ** 9), span=st.integers(1, 10 ** 8))
def test_interval_slots_are_the_anchor_grid_inside_the_bounds(step, anchor, after, span):
    start, end = utc(1970, 1, 1) + timedelta(seconds=anchor), utc(1970, 1, 1) + timedelta(seconds=anchor + span)
    schedule = make(mode="interval", interval_seconds=step, start_at=start, end_at=end)
    slots = slots_after(schedule, utc(1970, 1, 1) + timedelta(seconds=after), 5)
    first = max(0, (after - anchor) // step + 1)
    assert [s.epoch for s in slots] == list(range(anchor + first * step, anchor + span, step)[:5])


def test_interval_without_start_is_anchored_at_the_unix_epoch_and_is_o1():
    schedule = make(mode="interval", interval_seconds=7)
    assert next_slot(schedule, utc(1970, 1, 1)).epoch == 7
    began = time.perf_counter()
    far = next_slot(schedule, utc(9000, 1, 1))
    assert time.perf_counter() - began < 0.05
    assert far.epoch % 7 == 0 and far.utc > utc(9000, 1, 1)


def test_one_time_fires_once_and_manual_never():
    at = utc(2027, 5, 1, 9, 30)
    once = make(mode="one_time", start_at=at)
    assert [s.utc for s in slots_after(once, utc(2027, 1, 1), 5)] == [at]
    assert slots_after(once, at, 5) == []
    manual = make(mode="manual")
    assert slots_after(manual, utc(2027, 1, 1), 5) == [] and next_slot(manual, utc(2027, 1, 1)) is None
    assert due_slots(manual, utc(2030, 1, 1)) == ([], 0)
    assert advance(manual, None, utc(2027, 1, 1)) == (None, None)
    assert due_slots(make(mode="one_time", start_at=at, next_run_epoch=epoch(at)), at) == \
        ([Slot(epoch(at), at, at)], 0)


def hourly(**kw) -> Schedule:
    return make(cron_expression="0 * * * *", next_run_epoch=epoch(utc(2027, 1, 1, 10)), **kw)


def test_due_slots_catchup_none_returns_the_latest_and_counts_the_rest():
    assert due_slots(hourly(), utc(2027, 1, 1, 15, 30)) == ([next_slot(hourly(), utc(2027, 1, 1, 14, 30))], 5)
    assert due_slots(hourly(), utc(2027, 1, 1, 10)) == ([next_slot(hourly(), utc(2027, 1, 1, 9))], 0)
    assert due_slots(hourly(), utc(2027, 1, 1, 9, 59)) == ([], 0)


def test_due_slots_catchup_all_and_its_cap():
    slots, skipped = due_slots(hourly(catchup_policy="all"), utc(2027, 1, 1, 15, 30))
    assert [s.utc.hour for s in slots] == [10, 11, 12, 13, 14, 15] and skipped == 0
    slots, skipped = due_slots(hourly(catchup_policy="all", max_catchup_runs=4), utc(2027, 1, 1, 15, 30))
    assert [s.utc.hour for s in slots] == [10, 11, 12, 13] and skipped == 2
    slots, skipped = due_slots(hourly(catchup_policy="all", max_catchup_runs=4), utc(2027, 2, 1, 10))
    assert len(slots) == 4 and skipped == 31 * 24 + 1 - 4


def test_due_slots_respects_end_at_and_starts_after_created_at():
    ended = hourly(catchup_policy="all", end_at=utc(2027, 1, 1, 13))
    assert [s.utc.hour for s in due_slots(ended, utc(2027, 1, 2))[0]] == [10, 11, 12]
    fresh = make(cron_expression="0 * * * *", catchup_policy="all", created_at=utc(2027, 1, 1, 9, 10))
    assert [s.utc.hour for s in due_slots(fresh, utc(2027, 1, 1, 11, 5))[0]] == [10, 11]
    assert due_slots(make(cron_expression="0 * * * *"), utc(2027, 1, 1, 11)) == ([], 0)


def test_counting_a_year_of_minutes_is_fast_and_exact():
    begin = datetime(2027, 1, 1, tzinfo=BERLIN)
    now = datetime(2028, 1, 1, tzinfo=BERLIN) - timedelta(seconds=1)
    for ambiguous, expected in (("once", 525540), ("twice", 525600)):
        schedule = make(cron_expression="* * * * *", timezone="Europe/Berlin", next_run_epoch=epoch(begin),
                        dst_policy={"nonexistent": "shift", "ambiguous": ambiguous})
        began = time.perf_counter()
        slots, skipped = due_slots(schedule, now)
        assert time.perf_counter() - began < 3
        assert skipped + 1 == expected
        assert as_text(slots[0])["local"] == "2027-12-31T23:59:00+01:00"
    interval = make(mode="interval", interval_seconds=60, next_run_epoch=epoch(utc(2000, 1, 1)))
    assert due_slots(interval, utc(2030, 1, 1)) == ([next_slot(interval, utc(2029, 12, 31, 23, 59))],
                                                     (epoch(utc(2030, 1, 1)) - epoch(utc(2000, 1, 1))) // 60)


CRONS = ["*/20 * * * *", "0 */3 * * *", "30 2 * * *", "15 1,2,3 * * 1-5", "45 23 L * *",
         "*/7 2-3 * * 0,6", "0 0 29 2 *", "30 0 * * *"]


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=st.sampled_from(CRONS), zone=st.sampled_from(
    ["Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "UTC"]),
    start=st.datetimes(datetime(2016, 1, 1), datetime(2034, 12, 1)), days=st.integers(4, 45),
    nonexistent=st.sampled_from(["shift", "skip"]), ambiguous=st.sampled_from(["once", "twice"]))
def test_counting_day_by_day_agrees_with_listing_every_slot(expr, zone, start, days, nonexistent, ambiguous):
    begin = start.replace(microsecond=0, tzinfo=UTC)
    common = dict(cron_expression=expr, timezone=zone, next_run_epoch=epoch(begin),
                  dst_policy={"nonexistent": nonexistent, "ambiguous": ambiguous})
    now = begin + timedelta(days=days, seconds=start.second * 997)
    listed, left = due_slots(make(catchup_policy="all", max_catchup_runs=10000, **common), now)
    latest, skipped = due_slots(make(catchup_policy="none", **common), now)
    assert left == 0 and all(begin <= s.utc <= now for s in listed)
    assert listed == slots_after(make(**common), begin - timedelta(seconds=1), len(listed))
    assert latest == listed[-1:] and skipped == max(0, len(listed) - 1)


def test_advance_moves_past_now_and_the_slot():
    schedule = hourly()
    assert advance(schedule, None, utc(2027, 1, 1, 10, 30)) == (epoch(utc(2027, 1, 1, 11)), utc(2027, 1, 1, 11))
    slot = next_slot(schedule, utc(2027, 1, 1, 16, 30))
    assert advance(schedule, slot, utc(2027, 1, 1, 12))[1] == utc(2027, 1, 1, 18)
    assert advance(hourly(end_at=utc(2027, 1, 1, 12)), None, utc(2027, 1, 1, 11)) == (None, None)


def test_next_slot_is_well_under_a_millisecond():
    schedule = make(cron_expression="*/5 * * * *", timezone="Europe/Berlin")
    moments = [utc(2027, 1, 1) + timedelta(minutes=7 * i, seconds=i) for i in range(300)]
    began = time.perf_counter()
    for moment in moments:
        next_slot(schedule, moment)
    assert (time.perf_counter() - began) / len(moments) < 0.001
    assert next_slot(schedule, utc(2035, 6, 1, 0, 1)).utc == utc(2035, 6, 1, 0, 5)


@pytest.mark.parametrize("changes, message", [
    ({"mode": "hourly"}, "mode must be one of"),
    ({"cron_expression": None}, "cron_expression is required"),
    ({"cron_expression": "0 0 * * * 0"}, "must have 5 fields"),
    ({"cron_expression": "*/5 * * * * * 2027"}, "must have 5 fields"),
    ({"cron_expression": "61 * * * *"}, "not a valid cron expression"),
    ({"cron_expression": "0 0 31 2 *"}, "never matches"),
    ({"mode": "interval", "interval_seconds": 0}, "interval_seconds must be"),
    ({"mode": "interval", "interval_seconds": None}, "interval_seconds must be"),
    ({"mode": "interval", "interval_seconds": 1.5}, "interval_seconds must be"),
    ({"mode": "one_time"}, "start_at is required"),
    ({"timezone": "Mars/Olympus_Mons"}, "not a known IANA zone"),
    ({"timezone": ""}, "IANA zone name"),
    ({"start_at": datetime(2027, 1, 1)}, "start_at must carry a timezone"),
    ({"end_at": datetime(2027, 1, 1)}, "end_at must carry a timezone"),
    ({"start_at": utc(2027, 2, 1), "end_at": utc(2027, 1, 1)}, "must be before end_at"),
    ({"catchup_policy": "some"}, "catchup_policy must be one of"),
    ({"max_catchup_runs": 0}, "max_catchup_runs must be"),
    ({"max_catchup_runs": 10001}, "max_catchup_runs must be"),
    ({"dst_policy": {"nonexistent": "later"}}, "dst_policy.nonexistent must be one of"),
    ({"dst_policy": {"ambiguous": "both"}}, "dst_policy.ambiguous must be one of"),
    ({"dst_policy": {"gap": "shift"}}, "unknown key 'gap'"),
])
def test_validate_schedule_rejects(changes, message):
    fields = {"mode": "cron", "cron_expression": "30 2 * * *", **changes}
    with pytest.raises(ValidationError, match=message):
        validate_schedule(make(**fields))


@pytest.mark.parametrize("fields", [
    {"cron_expression": "30 2 * * *", "timezone": "Europe/Berlin", "dst_policy": {"ambiguous": "twice"}},
    {"cron_expression": "@hourly", "start_at": utc(2027, 1, 1), "end_at": utc(2028, 1, 1)},
    {"mode": "interval", "interval_seconds": 1, "catchup_policy": "all", "max_catchup_runs": 10000},
    {"mode": "one_time", "start_at": datetime(2027, 3, 28, 2, 30, tzinfo=BERLIN)},
    {"mode": "manual", "dst_policy": {}},
])
def test_validate_schedule_accepts(fields):
    validate_schedule(make(**fields))
