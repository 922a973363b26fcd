"""Repository contract for schedules and sensors, on every adapter (see conftest);
then the SQL-only promises: the due query's index and PostgreSQL's SKIP LOCKED."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from repo_builders import T0, add_committed, all_pages, at, schedule, sensor, uid

from dagy.adapters.sql.migrate import upgrade
from dagy.adapters.sql.repos_schedules import explain_due
from dagy.adapters.sql.uow import SqlUnitOfWork
from dagy.domain.errors import ConflictError, NotFoundError, ValidationError

NOW = 1_800_000_000


def _ids(items) -> list[str]:
    return [getattr(i, "schedule_id", None) or i.sensor_id for i in items]


def _run_threads(target, count: int) -> None:
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)


# -- schedules ---------------------------------------------------------------------------
def test_a_schedule_round_trips_every_field_within_its_org_only(uow_factory):
    plus5 = timezone(timedelta(hours=5))
    s = schedule("o", mode="interval", cron_expression=None, interval_seconds=90,
                 timezone="Europe/Paris", start_at=datetime(2026, 3, 1, 17, 0, tzinfo=plus5),
                 end_at=at(86400), parameters={"day": "x", "n": [1, {"k": None}]},
                 enabled=False, catchup_policy="all", max_catchup_runs=7,
                 dst_policy={"nonexistent": "skip", "ambiguous": "twice"},
                 next_run_epoch=NOW, next_run_at=at(60), last_triggered_at=at(1), version=3)
    add_committed(uow_factory, "schedules", s, schedule("o", created_at=None))
    with uow_factory() as uow:
        got = uow.schedules.get("o", s.schedule_id)
        assert got == s and got.start_at.utcoffset() == timedelta(0)
        assert uow.schedules.get("other", s.schedule_id) is None is uow.schedules.get("o", "x")
        assert uow.schedules.list("o", enabled=True)[0][0].created_at.tzinfo is not None


def test_schedule_ids_are_unique_and_update_and_delete_stay_in_their_org(uow_factory):
    add_committed(uow_factory, "schedules", schedule("o", "s1"))
    with uow_factory() as uow:
        with pytest.raises(ConflictError):
            uow.schedules.add(schedule("other", "s1"))
        uow.schedules.add(schedule("o", "after-conflict"))  # the unit of work is still usable
        changed = schedule("o", "s1", enabled=False, next_run_epoch=5, version=9,
                           created_at=at(100), updated_at=at(100))
        uow.schedules.update(changed)
        pytest.raises(NotFoundError, uow.schedules.update, schedule("other", "s1"))
        pytest.raises(NotFoundError, uow.schedules.update, schedule("o", "missing"))
        assert uow.schedules.delete("other", "s1") is False
        uow.commit()
    with uow_factory() as uow:
        got = uow.schedules.get("o", "s1")
        assert (got.enabled, got.next_run_epoch, got.version, got.updated_at, got.created_at) == (
            False, 5, 9, at(100), T0)  # created_at: set once, by add
        assert uow.schedules.get("o", "after-conflict") is not None
        assert uow.schedules.delete("o", "s1") is True
        assert uow.schedules.delete("o", "s1") is False and uow.schedules.get("o", "s1") is None


def test_schedule_list_pages_filters_and_for_deployment(uow_factory):
    org = uid("org_")
    items = [schedule(org, f"s{i:02d}", deployment_name=f"d{i % 2}", enabled=i % 3 != 0)
             for i in (7, 3, 11, 0, 5, 1, 8, 2, 10, 4, 6, 9)]
    add_committed(uow_factory, "schedules", *items, schedule("other-org", "s99"))
    everything = sorted(s.schedule_id for s in items)
    with uow_factory() as uow:
        for limit in (1, 2, 5, 12, 50):
            assert _ids(all_pages(lambda **kw: uow.schedules.list(org, **kw), limit)) == everything
        d1 = all_pages(lambda **kw: uow.schedules.list(org, deployment_name="d1", **kw), 2)
        assert _ids(d1) == ["s01", "s03", "s05", "s07", "s09", "s11"]
        off = all_pages(lambda **kw: uow.schedules.list(org, enabled=False, **kw), 3)
        assert _ids(off) == ["s00", "s03", "s06", "s09"]
        assert _ids(uow.schedules.list(org, deployment_name="d0", enabled=True)[0]) == [
            "s02", "s04", "s08", "s10"]
        assert _ids(uow.schedules.for_deployment(org, "d0")) == [
            "s00", "s02", "s04", "s06", "s08", "s10"]
        assert uow.schedules.for_deployment("other-org", "d0") == []
        pytest.raises(ValidationError, uow.schedules.list, org, limit=0)
        pytest.raises(ValidationError, uow.schedules.list, org, cursor="not-a-cursor")


def test_due_is_enabled_schedules_of_any_org_by_next_run_then_id(uow_factory):
    due = [schedule("a", "z-late", next_run_epoch=NOW),
           schedule("b", "y", next_run_epoch=NOW - 5),
           schedule("a", "x", next_run_epoch=NOW - 5), schedule("c", "w", next_run_epoch=0)]
    not_due = [schedule("a", "future", next_run_epoch=NOW + 1),
               schedule("a", "disabled", next_run_epoch=NOW - 100, enabled=False),
               schedule("a", "never", next_run_epoch=None)]
    add_committed(uow_factory, "schedules", *not_due, *due)
    with uow_factory() as uow:
        assert _ids(uow.schedules.due(NOW, 10)) == ["w", "x", "y", "z-late"]
        assert _ids(uow.schedules.due(NOW, 2)) == ["w", "x"]
        assert _ids(uow.schedules.due(NOW - 6, 10)) == ["w"]
        assert uow.schedules.due(-1, 10) == []
        pytest.raises(ValidationError, uow.schedules.due, NOW, 0)


def test_schedule_compare_and_set_wins_once(uow_factory):
    add_committed(uow_factory, "schedules", schedule("o", "s1", next_run_epoch=NOW))
    with uow_factory() as uow:
        mine = uow.schedules.get("o", "s1")
        mine.next_run_epoch, mine.version = NOW + 60, 1
        assert uow.schedules.compare_and_set(mine, 0) is True
        stale = schedule("o", "s1", next_run_epoch=NOW + 5, version=1)
        assert uow.schedules.compare_and_set(stale, 0) is False
        assert uow.schedules.compare_and_set(schedule("x", "s1", version=2), 1) is False
        assert uow.schedules.compare_and_set(schedule("o", "nope", version=1), 0) is False
        uow.commit()
    with uow_factory() as uow:
        got = uow.schedules.get("o", "s1")
        assert (got.next_run_epoch, got.version, got.created_at) == (NOW + 60, 1, T0)


def test_concurrent_schedule_compare_and_set_has_exactly_one_winner(uow_factory):
    add_committed(uow_factory, "schedules", schedule("o", "s1", next_run_epoch=NOW))
    wins, start = [], threading.Barrier(5, timeout=30)

    def claim(worker: int) -> None:
        start.wait()
        with uow_factory() as uow:
            mine = schedule("o", "s1", next_run_epoch=NOW + worker, version=1)
            if uow.schedules.compare_and_set(mine, 0):
                wins.append(worker)
            uow.commit()
    _run_threads(claim, 5)
    assert len(wins) == 1
    with uow_factory() as uow:
        assert uow.schedules.get("o", "s1").next_run_epoch == NOW + wins[0]


def test_schedule_add_many_is_all_or_nothing(uow_factory):
    add_committed(uow_factory, "schedules", schedule("o", "taken"))
    with uow_factory() as uow:
        for batch in (["new-1", "taken", "new-2"], ["new-1", "new-1"]):
            with pytest.raises(ConflictError):
                uow.schedules.add_many([schedule("o", i) for i in batch])
            assert uow.schedules.get("o", "new-1") is None
        uow.schedules.add_many([])
        uow.schedules.add_many([schedule("o", "new-3"), schedule("o", "new-4")])
        uow.commit()
    with uow_factory() as uow:
        assert _ids(uow.schedules.list("o")[0]) == ["new-3", "new-4", "taken"]


def test_returned_and_added_objects_are_copies(uow_factory):
    s, w = schedule("o", "s1"), sensor("o", "w1", webhook_token_hash="tok-copy")
    with uow_factory() as uow:
        uow.schedules.add(s)
        uow.sensors.add(w)
        s.parameters["n"], w.config["x"] = 99, 1
        uow.schedules.get("o", "s1").parameters["n"] = 42
        uow.sensors.get_by_token_hash("tok-copy").flow_params["n"] = 42
        uow.commit()
    with uow_factory() as uow:
        got = uow.sensors.get("o", "w1")
        assert (uow.schedules.get("o", "s1").parameters, got.config, got.flow_params) == (
            {"n": 1}, {}, {"n": 1})


def test_writes_roll_back_unless_committed(uow_factory):
    with uow_factory() as uow:
        uow.schedules.add(schedule("o", "s1"))
        uow.sensors.add(sensor("o", "w1", webhook_token_hash="tok-rb"))
        assert uow.schedules.get("o", "s1") is not None  # a unit of work reads its writes
    with uow_factory() as uow:
        assert uow.schedules.get("o", "s1") is None and uow.sensors.get_by_token_hash("tok-rb") is None
        uow.sensors.add(sensor("o", "w1", webhook_token_hash="tok-rb"))
        uow.rollback()
        uow.sensors.add(sensor("o", "w2", webhook_token_hash="tok-rb"))  # the token is free again
        uow.commit()
    with uow_factory() as uow:
        assert uow.sensors.get_by_token_hash("tok-rb").sensor_id == "w2"


# -- sensors -----------------------------------------------------------------------------
def test_a_sensor_round_trips_and_its_token_finds_it_in_any_org(uow_factory):
    w = sensor("o", "w1", webhook_token_hash="tok-1", config={"secret_header": "X-Sig"},
               cursor="etag-7", next_poll_epoch=NOW, last_triggered_at=at(5), version=2)
    add_committed(uow_factory, "sensors", w, sensor("o", "w2"), sensor("o", "w3"))
    with uow_factory() as uow:
        assert uow.sensors.get("o", "w1") == w == uow.sensors.get_by_token_hash("tok-1")
        assert uow.sensors.get("other", "w1") is None and uow.sensors.get_by_token_hash("x") is None
        for clash in (sensor("b", "w1"), sensor("b", "w9", webhook_token_hash="tok-1")):
            pytest.raises(ConflictError, uow.sensors.add, clash)
        uow.sensors.add(sensor("b", "w9", webhook_token_hash="tok-9"))  # still usable
        uow.commit()


def test_sensor_updates_move_the_token_and_delete_frees_it(uow_factory):
    add_committed(uow_factory, "sensors", sensor("o", "w1", webhook_token_hash="old"),
                  sensor("o", "w2", webhook_token_hash="other"))
    with uow_factory() as uow:
        uow.sensors.update(sensor("o", "w1", webhook_token_hash="new", version=1))
        pytest.raises(ConflictError, uow.sensors.update, sensor("o", "w1", webhook_token_hash="other"))
        pytest.raises(ConflictError, uow.sensors.compare_and_set,
                      sensor("o", "w1", webhook_token_hash="other", version=2), 1)
        pytest.raises(NotFoundError, uow.sensors.update, sensor("x", "w1"))
        assert uow.sensors.get_by_token_hash("old") is None
        assert uow.sensors.get_by_token_hash("new").version == 1
        assert uow.sensors.compare_and_set(sensor("o", "w1", version=2), 0) is False
        assert uow.sensors.compare_and_set(sensor("o", "w1", cursor="c", version=2), 1) is True
        assert uow.sensors.delete("x", "w2") is False and uow.sensors.delete("o", "w2") is True
        uow.sensors.add(sensor("o", "w3", webhook_token_hash="other"))
        uow.commit()
    with uow_factory() as uow:
        got = uow.sensors.get("o", "w1")
        assert (got.webhook_token_hash, got.cursor, got.version, got.created_at) == (None, "c", 2, T0)
        assert uow.sensors.get_by_token_hash("other").sensor_id == "w3"


def test_sensor_list_pages_by_id_and_filters_by_type(uow_factory):
    org = uid("org_")
    items = [sensor(org, f"w{i:02d}", ("webhook", "s3", "polling")[i % 3])
             for i in (4, 1, 7, 0, 6, 2, 5, 3)]
    add_committed(uow_factory, "sensors", *items, sensor("other", "w99"))
    with uow_factory() as uow:
        for limit in (1, 3, 8):
            assert _ids(all_pages(lambda **kw: uow.sensors.list(org, **kw), limit)) == [
                f"w{i:02d}" for i in range(8)]
        s3 = all_pages(lambda **kw: uow.sensors.list(org, sensor_type="s3", **kw), 1)
        assert _ids(s3) == ["w01", "w04", "w07"]


def test_due_polls_are_enabled_polling_sensors_of_any_org(uow_factory):
    due = [sensor("a", "p3", "polling", next_poll_epoch=NOW),
           sensor("b", "p2", "polling", next_poll_epoch=NOW - 9),
           sensor("a", "p1", "polling", next_poll_epoch=NOW)]
    others = [sensor("a", "later", "polling", next_poll_epoch=NOW + 1),
              sensor("a", "off", "polling", next_poll_epoch=0, enabled=False),
              sensor("a", "unset", "polling"), sensor("a", "hook", next_poll_epoch=0),
              sensor("a", "bucket", "s3", next_poll_epoch=0)]
    add_committed(uow_factory, "sensors", *others, *due)
    with uow_factory() as uow:
        assert _ids(uow.sensors.due_polls(NOW, 10)) == ["p2", "p1", "p3"]
        assert _ids(uow.sensors.due_polls(NOW, 1)) == ["p2"]


def test_matching_s3_is_enabled_s3_sensors_of_that_bucket(uow_factory):
    hits = [sensor("b", "s2", "s3", config={"bucket": "raw", "prefix": "in/"}),
            sensor("a", "s1", "s3", config={"bucket": "raw"})]
    misses = [sensor("a", "other", "s3", config={"bucket": "raw-2"}),
              sensor("a", "off", "s3", config={"bucket": "raw"}, enabled=False),
              sensor("a", "hook", "webhook", config={"bucket": "raw"}),
              sensor("a", "none", "s3")]
    add_committed(uow_factory, "sensors", *hits, *misses)
    with uow_factory() as uow:
        assert _ids(uow.sensors.matching_s3("raw")) == ["s1", "s2"]
        assert uow.sensors.matching_s3("absent") == []
        uow.sensors.update(sensor("a", "s1", "s3", config={"bucket": "moved"}))
        assert _ids(uow.sensors.matching_s3("raw")) == ["s2"]
        assert _ids(uow.sensors.matching_s3("moved")) == ["s1"]


# -- SQL only ----------------------------------------------------------------------------
def test_the_due_query_uses_its_index(sql_engine):
    upgrade(sql_engine)
    rows = [schedule("o", f"s{i:05d}", next_run_epoch=NOW + (i if i % 100 else -i),
                     enabled=i % 7 != 0) for i in range(5000)]
    with SqlUnitOfWork(sql_engine) as uow:
        uow.schedules.add_many(rows)  # one bulk insert
        uow.commit()
    with sql_engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE schedules" if conn.dialect.name == "postgresql"
                             else "ANALYZE")
        plan = explain_due(conn, NOW, 10)
    assert "ix_schedules_due" in plan and "index" in plan.lower(), plan
    assert explain_due(sql_engine, NOW, 10) == plan


def test_concurrent_due_calls_get_disjoint_rows_on_postgres(sql_engine):
    if sql_engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time: nothing to skip")
    upgrade(sql_engine)
    add_committed(lambda: SqlUnitOfWork(sql_engine), "schedules",
                  *(schedule(f"o{i % 3}", f"s{i:02d}", next_run_epoch=NOW - i) for i in range(20)))
    both_read, got, errors = threading.Barrier(2, timeout=30), {}, []

    def tick(worker: int) -> None:
        try:
            with SqlUnitOfWork(sql_engine) as uow:
                got[worker] = set(_ids(uow.schedules.due(NOW, 10)))
                both_read.wait()  # hold the row locks until the other has read too
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
    _run_threads(tick, 2)
    assert errors == [] and len(got[0]) == len(got[1]) == 10
    assert got[0].isdisjoint(got[1]) and len(got[0] | got[1]) == 20
