"""Repository contract for a schedule's recorded slots (ScheduleRepository.record_slots,
slots, refused_summary) on every adapter: one record per slot, newest first, bounded,
org-scoped, written only with the unit of work, gone with the schedule."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest
from repo_builders import T0, add_committed, all_pages, schedule

from dagy.adapters.values import InvalidPageError
from dagy.domain.schedules.slots import (SLOT_HISTORY, ScheduleSlot, refused_slot,
                                         triggered_slot)

E0 = 1_800_000_000


def _refused(org: str, sid: str, i: int, reason: str = "deployment is paused") -> ScheduleSlot:
    return refused_slot(org, sid, E0 + 60 * i, T0 + timedelta(minutes=i), reason, T0)


def _triggered(org: str, sid: str, i: int) -> ScheduleSlot:
    return triggered_slot(org, sid, E0 + 60 * i, T0 + timedelta(minutes=i), f"run_{i}", T0)


def _record(uow_factory, *slots: ScheduleSlot) -> None:
    with uow_factory() as uow:
        uow.schedules.record_slots(list(slots))
        uow.commit()


def _all(uow_factory, org: str, sid: str, **kw) -> list[ScheduleSlot]:
    with uow_factory() as uow:
        return all_pages(lambda **p: uow.schedules.slots(org, sid, **kw, **p), 3)


def test_slots_round_trip_newest_first_within_their_org_and_schedule(uow_factory):
    add_committed(uow_factory, "schedules", schedule("o", "s1"), schedule("o", "s2"))
    plus2 = timezone(timedelta(hours=2))
    odd = refused_slot("o", "s1", E0 + 7, (T0 + timedelta(seconds=7)).astimezone(plus2),
                       "parameters: x is required", T0.astimezone(plus2))
    _record(uow_factory, _triggered("o", "s1", 0), odd, _refused("o", "s1", 2),
            _refused("o", "s2", 1), _refused("other", "s1", 5))
    got = _all(uow_factory, "o", "s1")
    assert [s.epoch for s in got] == [E0 + 120, E0 + 7, E0]
    assert got[1] == odd and got[1].scheduled_for.utcoffset() == timedelta(0)
    assert got[2].status == "triggered" and got[2].run_id == "run_0" and got[2].reason is None
    assert [s.epoch for s in _all(uow_factory, "o", "s1", status="refused")] == [E0 + 120,
                                                                                 E0 + 7]
    assert [s.status for s in _all(uow_factory, "o", "s1", status="triggered")] == ["triggered"]
    assert [s.org_id for s in _all(uow_factory, "other", "s1")] == ["other"]
    assert _all(uow_factory, "o", "missing") == []


def test_recording_a_slot_again_replaces_it_and_never_duplicates(uow_factory):
    add_committed(uow_factory, "schedules", schedule("o", "s1"))
    _record(uow_factory, _refused("o", "s1", 1, "first"))
    _record(uow_factory, _refused("o", "s1", 1, "second"), _refused("o", "s1", 1, "third"))
    assert [(s.epoch, s.reason) for s in _all(uow_factory, "o", "s1")] == [(E0 + 60, "third")]
    _record(uow_factory, _triggered("o", "s1", 1))  # e.g. a backfill triggered it later
    (only,) = _all(uow_factory, "o", "s1")
    assert (only.status, only.run_id, only.reason) == ("triggered", "run_1", None)
    with uow_factory() as uow:
        assert uow.schedules.refused_summary("o", "s1") == (0, None)


def test_each_schedule_keeps_only_its_newest_slots(uow_factory):
    add_committed(uow_factory, "schedules", schedule("o", "s1"), schedule("o", "s2"))
    _record(uow_factory, *[_refused("o", "s1", i) for i in range(SLOT_HISTORY - 5)],
            _refused("o", "s2", 0))
    _record(uow_factory, *[_refused("o", "s1", i) for i in range(SLOT_HISTORY, SLOT_HISTORY + 10)])
    got = _all(uow_factory, "o", "s1")
    assert len(got) == SLOT_HISTORY
    assert got[0].epoch == E0 + 60 * (SLOT_HISTORY + 9)
    assert got[-1].epoch == E0 + 60 * 5  # the five oldest went
    assert len(_all(uow_factory, "o", "s2")) == 1  # another schedule's history is untouched


def test_refused_summary_counts_refusals_and_names_the_newest(uow_factory):
    add_committed(uow_factory, "schedules", schedule("o", "s1"))
    _record(uow_factory, _refused("o", "s1", 1, "old"), _refused("o", "s1", 3, "newest"),
            _triggered("o", "s1", 4), _refused("other", "s1", 9, "not mine"))
    with uow_factory() as uow:
        count, newest = uow.schedules.refused_summary("o", "s1")
        assert count == 2 and newest.reason == "newest" and newest.epoch == E0 + 180
        assert uow.schedules.refused_summary("o", "nope") == (0, None)


def test_slots_are_written_only_on_commit_and_leave_with_their_schedule(uow_factory):
    add_committed(uow_factory, "schedules", schedule("o", "s1"), schedule("o", "s2"))
    with uow_factory() as uow:
        uow.schedules.record_slots([_refused("o", "s1", 1)])  # no commit: rolled back
    assert _all(uow_factory, "o", "s1") == []
    _record(uow_factory, _refused("o", "s1", 1), _refused("o", "s2", 1))
    with uow_factory() as uow:
        assert uow.schedules.delete("other", "s1") is False
        assert uow.schedules.delete("o", "s1") is True
        uow.commit()
    assert _all(uow_factory, "o", "s1") == [] and len(_all(uow_factory, "o", "s2")) == 1
    _record(uow_factory)  # nothing to record is fine


def test_a_foreign_cursor_is_refused(uow_factory):
    with uow_factory() as uow:
        with pytest.raises(InvalidPageError):
            uow.schedules.slots("o", "s1", cursor="bm90LWEtY3Vyc29y")
