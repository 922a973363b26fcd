"""A backfill's range -> slots mapping (timeline.slots_between) is exactly what the tick
fires in that range: every slot, no other, for random cron and interval schedules,
zones with DST changes, DST policies, schedule bounds and ranges."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_budget import examples

from dagy.domain.schedules import dst
from dagy.domain.schedules.model import Schedule
from dagy.domain.schedules.timeline import advance, count_between, due_slots, slots_between
from dagy.domain.schedules.validation import validate_schedule

UTC = timezone.utc
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
         "Europe/London"]
# around DST changes of 2027 (Europe: Mar 28 / Oct 31, US: Mar 14 / Nov 7, Lord Howe Apr 4)
DAYS = [datetime(2027, m, d, tzinfo=UTC) for m, d in
        ((3, 13), (3, 27), (4, 3), (6, 1), (10, 30), (11, 6))]

cron = st.builds(lambda *f: " ".join(f),
                 st.sampled_from(["0", "30", "*/15", "5,35", "59"]),
                 st.sampled_from(["*", "2", "1-3", "*/6", "0,12"]),
                 st.sampled_from(["*", "1", "28-31"]),
                 st.just("*"),
                 st.sampled_from(["*", "0", "1-5"]))
policy = st.fixed_dictionaries({"nonexistent": st.sampled_from(["shift", "skip"]),
                                "ambiguous": st.sampled_from(["once", "twice"])})


@st.composite
def cases(draw):
    start = draw(st.sampled_from(DAYS)) + timedelta(seconds=draw(st.integers(0, 86400)))
    end = start + timedelta(seconds=draw(st.integers(1, 2 * 86400)))
    kw = {"timezone": draw(st.sampled_from(ZONES)), "dst_policy": draw(policy)}
    if draw(st.booleans()):
        kw.update(mode="cron", cron_expression=draw(cron))
    else:
        kw.update(mode="interval", interval_seconds=draw(st.sampled_from(
            [1800, 3600, 5400, 7200, 86400, 977, 40_000])))
    if draw(st.booleans()):
        kw["start_at"] = start + timedelta(seconds=draw(st.integers(-86400, 86400)),
                                           microseconds=draw(st.sampled_from([0, 1, 500_000])))
    if draw(st.booleans()):
        kw["end_at"] = end + timedelta(seconds=draw(st.integers(-86400, 86400)))
    if "start_at" in kw and "end_at" in kw and kw["start_at"] >= kw["end_at"]:
        del kw["end_at"]
    schedule = Schedule("s1", "o1", "dep", "flow", **kw)
    validate_schedule(schedule)
    return schedule, start, end


def catch_up_tick(schedule: Schedule, start: datetime, end: datetime) -> list[int]:
    """One tick at end - 1 s of a schedule created at start - 1 s that catches up all."""
    schedule.created_at, schedule.next_run_epoch = start - timedelta(seconds=1), None
    schedule.catchup_policy, schedule.max_catchup_runs = "all", 100_000
    slots, skipped = due_slots(schedule, end - timedelta(seconds=1))
    assert skipped == 0
    return [s.epoch for s in slots]


def stepped_ticks(schedule: Schedule, start: datetime, end: datetime) -> list[int]:
    """The live scheduler: a schedule created at start - 1 s, ticked at each due slot."""
    created = start - timedelta(seconds=1)
    schedule.created_at, schedule.catchup_policy = created, "none"
    schedule.next_run_epoch, _ = advance(schedule, None, created)
    fired: list[int] = []
    for _ in range(10_000):
        if schedule.next_run_epoch is None or schedule.next_run_epoch >= dst.floor_epoch(end):
            return fired
        now = dst.to_utc(schedule.next_run_epoch)
        slots, skipped = due_slots(schedule, now)
        assert skipped == 0 and slots
        fired += [s.epoch for s in slots]
        schedule.next_run_epoch, _ = advance(schedule, slots[-1], now)
    raise AssertionError("ticks did not end")


@settings(max_examples=examples(120), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_backfill_slots_are_exactly_the_slots_the_tick_fires(case):
    schedule, start, end = case
    backfilled = [s.epoch for s in slots_between(schedule, start, end, 100_000)]
    assert backfilled == sorted(set(backfilled))
    assert all(dst.floor_epoch(start) <= e < dst.floor_epoch(end) for e in backfilled)
    assert backfilled == catch_up_tick(schedule, start, end)
    assert backfilled == stepped_ticks(schedule, start, end)
    assert count_between(schedule, start, end) == len(backfilled)


def test_limit_returns_the_first_slots_and_count_sees_past_it():
    schedule = Schedule("s1", "o1", "dep", "flow", mode="interval", interval_seconds=60)
    start = datetime(2027, 1, 1, tzinfo=UTC)
    end = start + timedelta(days=30)
    first = slots_between(schedule, start, end, 3)
    assert [s.utc for s in first] == [start + timedelta(minutes=m) for m in range(3)]
    assert count_between(schedule, start, end) == 30 * 24 * 60


def test_range_bounds_are_start_inclusive_end_exclusive_to_the_second():
    schedule = Schedule("s1", "o1", "dep", "flow", mode="cron", cron_expression="0 * * * *")
    start = datetime(2027, 1, 1, 1, tzinfo=UTC)
    got = slots_between(schedule, start, start + timedelta(hours=2), 10)
    assert [s.utc.hour for s in got] == [1, 2]
    late = slots_between(schedule, start + timedelta(microseconds=1),
                         start + timedelta(hours=2, microseconds=1), 10)
    assert [s.utc.hour for s in late] == [2, 3]


def test_manual_schedules_have_no_slots_to_backfill():
    schedule = Schedule("s1", "o1", "dep", "flow", mode="manual")
    start = datetime(2027, 1, 1, tzinfo=UTC)
    assert slots_between(schedule, start, start + timedelta(days=1), 10) == []
    assert count_between(schedule, start, start + timedelta(days=1)) == 0
