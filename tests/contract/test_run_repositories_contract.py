"""Repository contract for runs, task runs and the outbox, on every adapter (see conftest)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from repo_builders import T0, add_committed, all_pages, at, run, running, same, task_run, uid

from dagy.domain.errors import ConflictError
from dagy.domain.events import OutboxEvent
from dagy.domain.states import RunStatus, TaskRunStatus

PAGING = settings(max_examples=15, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])
S = TaskRunStatus


# -- runs --------------------------------------------------------------------------------
def test_a_run_round_trips_every_field(uow_factory):
    r = running("o", 30, run_slug="brave-otter", executor="threads", external_id="arn:x",
                idempotency_key="key-1", runtime_tier="large", result={"rows": [1, 2]},
                error_message=None, parameters={"day": "2026-03-01", "n": [1, {"k": None}]})
    add_committed(uow_factory, "runs", r)
    with uow_factory() as uow:
        got = uow.runs.get("o", r.run_id)
        assert same(got, r) and got.status is RunStatus.RUNNING
        assert same(uow.runs.get_by_idempotency_key("o", "key-1"), r)
        assert uow.runs.get("o", "missing") is None
        assert uow.runs.get_by_idempotency_key("o", "other") is None


def test_a_run_result_that_is_not_json_is_stored_as_none_and_a_tuple_as_a_list(uow_factory):
    odd = [run("o", result=object()), run("o", result=(1, 2)), run("o", result=float("nan"))]
    add_committed(uow_factory, "runs", *odd)
    with uow_factory() as uow:
        assert [uow.runs.get("o", r.run_id).result for r in odd] == [None, [1, 2], None]


def test_idempotency_keys_are_unique_per_org(uow_factory):
    add_committed(uow_factory, "runs", run("a", idempotency_key="k"), run("b", idempotency_key="k"),
                  run("a"), run("a"))
    with uow_factory() as uow:
        with pytest.raises(ConflictError):
            uow.runs.add(run("a", idempotency_key="k"))
        first = uow.runs.get_by_idempotency_key("a", "k")
        with pytest.raises(ConflictError):
            uow.runs.add(run("a", first.run_id))
        assert uow.runs.get_by_idempotency_key("a", "k").run_id == first.run_id


def test_run_list_is_newest_first_with_filters(uow_factory):
    runs = [run("o", f"r{i}", created_at=at(i), flow_name="etl" if i % 2 else "ml",
                deployment_name=f"d{i % 3}", status=RunStatus.FAILED if i % 4 == 0 else "QUEUED")
            for i in range(12)]
    add_committed(uow_factory, "runs", *runs)

    def ids(**filters):
        with uow_factory() as uow:
            listed = all_pages(lambda **kw: uow.runs.list("o", **filters, **kw), 5)
            return [r.run_id for r in listed]
    assert ids() == [f"r{i}" for i in reversed(range(12))]
    assert ids(flow_name="etl") == ["r11", "r9", "r7", "r5", "r3", "r1"]
    assert ids(deployment_name="d0") == ["r9", "r6", "r3", "r0"]
    assert ids(status="FAILED") == ["r8", "r4", "r0"] == ids(status=RunStatus.FAILED)
    assert ids(created_after=at(9)) == ["r11", "r10", "r9"]
    assert ids(created_before=at(2)) == ["r1", "r0"]
    assert ids(created_after=at(3), created_before=at(6), flow_name="ml") == ["r4"]


@PAGING
@given(times=st.lists(st.integers(0, 4), max_size=20), limit=st.integers(1, 6))
def test_run_pages_give_every_run_once_even_with_equal_times(uow_factory, times, limit):
    org = uid("org_")
    runs = [run(org, f"{org}-r{i:02d}", created_at=at(t)) for i, t in enumerate(times)]
    add_committed(uow_factory, "runs", *runs)
    with uow_factory() as uow:
        listed = all_pages(lambda **kw: uow.runs.list(org, **kw), limit)
    expected = sorted(runs, key=lambda r: (r.created_at, r.run_id), reverse=True)
    assert [r.run_id for r in listed] == [r.run_id for r in expected]


def test_compare_and_set_wins_once(uow_factory):
    r = run("o")
    add_committed(uow_factory, "runs", r)
    with uow_factory() as uow:
        first = uow.runs.get("o", r.run_id)
        first.move_to(RunStatus.RUNNING, at(1))
        first.version += 1
        assert uow.runs.compare_and_set(first, RunStatus.QUEUED, 0) is True
        uow.commit()
    with uow_factory() as uow:
        stale = run("o", r.run_id, status=RunStatus.CANCELLED, version=1, completed_at=at(2))
        assert uow.runs.compare_and_set(stale, RunStatus.QUEUED, 0) is False
        assert uow.runs.compare_and_set(stale, RunStatus.RUNNING, 0) is False
        assert uow.runs.compare_and_set(stale, RunStatus.QUEUED, 1) is False
        uow.commit()
    with uow_factory() as uow:
        got = uow.runs.get("o", r.run_id)
        assert (got.status, got.version, got.started_at, got.completed_at) == (
            RunStatus.RUNNING, 1, at(1), None)
        assert got.created_at == T0


def test_concurrent_compare_and_set_has_exactly_one_winner(uow_factory):
    r = run("o")
    add_committed(uow_factory, "runs", r)
    wins, start = [], threading.Barrier(6)

    def claim(worker: int) -> None:
        mine = run("o", r.run_id, status=RunStatus.RUNNING, version=1, executor=f"w{worker}")
        start.wait()
        with uow_factory() as uow:
            if uow.runs.compare_and_set(mine, RunStatus.QUEUED, 0):
                wins.append(worker)
            uow.commit()
    threads = [threading.Thread(target=claim, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(wins) == 1
    with uow_factory() as uow:
        assert uow.runs.get("o", r.run_id).executor == f"w{wins[0]}"


def test_expired_leases_are_running_runs_whose_lease_ended_in_any_org(uow_factory):
    expired = [running("a", -10), running("b", -20), running("a", -5)]
    others = [running("a", 0), running("a", 60), running("a", None),
              run("a", lease_expires_at=at(-30))]
    add_committed(uow_factory, "runs", *expired, *others)
    with uow_factory() as uow:
        found = uow.runs.expired_leases(T0)
        assert [r.run_id for r in found] == [expired[i].run_id for i in (1, 0, 2)]
        assert len(uow.runs.expired_leases(T0, limit=2)) == 2
        assert uow.runs.expired_leases(at(-60)) == []


def test_leases_held_by_are_an_owners_running_runs_fresh_or_expired_in_any_org(uow_factory):
    mine = [running("a", 60, lease_owner="srv-1"), running("b", -20, lease_owner="srv-1"),
            running("a", None, lease_owner="srv-1")]
    others = [running("a", 30, lease_owner="srv-2"), running("a", -5),
              run("a", lease_owner="srv-1"),  # QUEUED: nobody holds a lease on it
              run("a", status=RunStatus.CANCELLED, lease_owner="srv-1",
                  lease_expires_at=at(10))]
    add_committed(uow_factory, "runs", *mine, *others)
    with uow_factory() as uow:
        found = uow.runs.leases_held_by("srv-1")
        assert [r.run_id for r in found] == [mine[i].run_id for i in (1, 0, 2)]
        assert all(r.lease_owner == "srv-1" for r in found)
        assert len(uow.runs.leases_held_by("srv-1", limit=2)) == 2
        assert uow.runs.leases_held_by("srv-3") == []
        assert uow.runs.get("a", mine[0].run_id).lease_owner == "srv-1"  # round trip


# -- task runs ---------------------------------------------------------------------------
def test_upsert_many_twice_updates_in_place_and_keeps_creation_order(uow_factory):
    trs = [task_run("r1", t) for t in ("extract", "b_transform", "a_load")]
    with uow_factory() as uow:
        uow.task_runs.upsert_many("o", trs)
        uow.commit()
    for tr in trs[:2]:
        tr.move_to(S.RUNNING, at(1))
    trs[0].move_to(S.SUCCEEDED, at(2))
    trs[0].result = {"rows": 3}
    trs[1].error_message = "boom"
    with uow_factory() as uow:
        uow.task_runs.upsert_many("o", [trs[1], trs[0]])
        uow.commit()
    with uow_factory() as uow:
        listed, cursor = uow.task_runs.list_for_run("o", "r1")
    assert cursor is None and [t.task_id for t in listed] == ["extract", "b_transform", "a_load"]
    assert all(same(a, b) for a, b in zip(listed, trs))
    assert (listed[0].status, listed[0].attempt, listed[0].completed_at) == (S.SUCCEEDED, 1, at(2))


@PAGING
@given(count=st.integers(0, 15), limit=st.integers(1, 6))
def test_task_run_pages_follow_creation_order(uow_factory, count, limit):
    run_id = uid("run_")
    trs = [task_run(run_id, f"t{(i * 7) % 15:02d}") for i in range(count)]
    with uow_factory() as uow:
        for start in range(0, count, 4):
            uow.task_runs.upsert_many("o", trs[start:start + 4])
        uow.commit()
    with uow_factory() as uow:
        listed = all_pages(lambda **kw: uow.task_runs.list_for_run("o", run_id, **kw), limit)
    assert [t.task_run_id for t in listed] == [t.task_run_id for t in trs]


def test_succeeded_results_are_those_of_non_mapped_tasks_stored_as_json(uow_factory):
    trs = [task_run("r1", "a", S.SUCCEEDED, result={"x": [1, 2.5, "s"]}),
           task_run("r1", "none", S.SUCCEEDED, result=None),
           task_run("r1", "mapped", S.SUCCEEDED, map_index=0, result=1),
           task_run("r1", "failed", S.FAILED, result=2), task_run("r1", "pending"),
           task_run("r1", "odd", S.SUCCEEDED, result=object()),
           task_run("r1", "tuple", S.SUCCEEDED, result=(1, 2)),
           task_run("r1", "elsewhere", S.SUCCEEDED, output_ref="s3://b/k"),
           task_run("r2", "other_run", S.SUCCEEDED, result=3)]
    with uow_factory() as uow:
        uow.task_runs.upsert_many("o", trs)
        uow.commit()
    with uow_factory() as uow:
        assert uow.task_runs.succeeded_results("o", "r1") == {"a": {"x": [1, 2.5, "s"]},
                                                              "none": None, "tuple": [1, 2]}
        odd = {t.task_id: t for t in uow.task_runs.list_for_run("o", "r1")[0]}["odd"]
    assert (odd.result, odd.output_ref) == (None, "unserializable")


def test_succeeded_task_runs_are_the_whole_records_with_every_succeeded_mapped_item(uow_factory):
    kept = task_run("r1", "a", S.SUCCEEDED, attempt=3, executor="threads", started_at=at(1),
                    completed_at=at(2.5), result={"x": [1, 2.5]})
    trs = [task_run("r1", "pending"), kept,
           task_run("r1", "none", S.SUCCEEDED, attempt=1, result=None),
           task_run("r1", "mapped", S.SUCCEEDED, map_index=0, result=1),
           task_run("r1", "mapped", S.FAILED, map_index=1, result=None),
           task_run("r1", "mapped", S.SUCCEEDED, map_index=2, attempt=2, result=[9]),
           task_run("r1", "mapped", S.SKIPPED, map_index=3),
           task_run("r1", "elsewhere", S.SUCCEEDED, output_ref="s3://b/k"),
           task_run("r1", "odd", S.SUCCEEDED, result=object()),
           task_run("r2", "mapped", S.SUCCEEDED, map_index=1, result=5)]
    with uow_factory() as uow:
        uow.task_runs.upsert_many("o", trs)
        uow.commit()
    with uow_factory() as uow:
        found = uow.task_runs.succeeded_task_runs("o", "r1")
        # creation order; each mapped item on its own, failed and skipped items left out
        assert [(t.task_id, t.map_index) for t in found] == [
            ("a", None), ("none", None), ("mapped", 0), ("mapped", 2)]
        assert same(found[0], kept) and found[0].status is S.SUCCEEDED
        assert same(found[3], trs[5]) and found[3].task_run_id == "r1.mapped[2]"
        assert {t.task_id: t.result for t in found if t.map_index is None} == \
            uow.task_runs.succeeded_results("o", "r1")
        assert uow.task_runs.succeeded_task_runs("other", "r1") == []


def test_a_succeeded_item_reset_to_pending_is_no_longer_kept(uow_factory):
    items = [task_run("r1", "m", S.SUCCEEDED, map_index=i, attempt=1, result=i * 10)
             for i in range(3)]
    with uow_factory() as uow:
        uow.task_runs.upsert_many("o", items)
        uow.commit()
    items[1].move_to(S.PENDING, at(5))
    items[1].result = None
    with uow_factory() as uow:
        uow.task_runs.upsert_many("o", [items[1]])
        uow.commit()
    with uow_factory() as uow:
        found = uow.task_runs.succeeded_task_runs("o", "r1")
        assert [(t.map_index, t.result) for t in found] == [(0, 0), (2, 20)]
        listed = uow.task_runs.list_for_run("o", "r1")[0]
        assert [t.map_index for t in listed] == [0, 1, 2]  # the reset row keeps its place
        assert listed[1].status is S.PENDING and listed[1].result is None


# -- outbox ------------------------------------------------------------------------------
def test_outbox_pending_oldest_first_until_dispatched(uow_factory):
    events = [OutboxEvent(f"e{i}", {"dagy_event_type": "run_execute", "i": i}, at(-i))
              for i in range(5)]
    add_committed(uow_factory, "outbox", *events)
    with uow_factory() as uow:
        assert [e.event_id for e in uow.outbox.pending(limit=3)] == ["e0", "e1", "e2"]
        uow.outbox.mark_dispatched(["e0", "e2", "missing"], at(10))
        uow.outbox.mark_dispatched([], at(11))
        uow.commit()
    with uow_factory() as uow:
        pending = uow.outbox.pending()
        assert [e.event_id for e in pending] == ["e1", "e3", "e4"]
        assert pending[0] == events[1] and pending[0].dispatched_at is None
        uow.outbox.mark_dispatched(["e0", "e1"], at(20))
        with pytest.raises(ConflictError):
            uow.outbox.add(OutboxEvent("e3", {}))
        uow.commit()
    with uow_factory() as uow:
        assert [e.event_id for e in uow.outbox.pending()] == ["e3", "e4"]


def test_concurrent_writers_all_commit(uow_factory):
    def write(worker: int) -> None:
        for i in range(5):
            with uow_factory() as uow:
                uow.runs.add(run("o", f"w{worker}-{i}", created_at=T0 + timedelta(worker)))
                uow.commit()
    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with uow_factory() as uow:
        assert len(uow.runs.list("o", limit=100)[0]) == 20


def test_add_many_is_all_or_nothing(uow_factory):
    add_committed(uow_factory, "runs", run("o", "taken"))
    with uow_factory() as uow:
        with pytest.raises(ConflictError):
            uow.runs.add_many([run("o", "new-1"), run("o", "taken"), run("o", "new-2")])
        assert uow.runs.get("o", "new-1") is None
        uow.runs.add_many([run("o", "new-3")])
        uow.commit()
    with uow_factory() as uow:
        assert uow.runs.get("o", "new-1") is None and uow.runs.get("o", "new-3") is not None
