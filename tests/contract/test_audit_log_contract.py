"""The AuditLogRepository contract (application/ports/audit_log.py) and `record`
(application/audit_trail.py) on memory, SQLite and PostgreSQL: an append-only chain per
org, newest-first filtered pages, oldest-first walks, no fork under concurrent appends."""

from __future__ import annotations

import threading
from datetime import timedelta
from itertools import count
from types import SimpleNamespace

import pytest
from repo_builders import T0, all_pages, at, uid

from dagy.application.audit_trail import record, record_many
from dagy.application.principal import Principal
from dagy.domain.audit import GENESIS, AuditEntry, seal, verify_chain
from dagy.domain.errors import ConflictError


class StepClock:
    """T0, T0+1 s, T0+2 s, ... (thread-safe): entries get distinct, known times."""

    def __init__(self) -> None:
        self._ticks, self._lock = count(), threading.Lock()

    def now(self):
        with self._lock:
            return at(next(self._ticks))


def deps():
    return SimpleNamespace(clock=StepClock(), ids=SimpleNamespace(new_id=lambda: uid("a")))


def write(uow_factory, d, principal, *calls) -> None:
    with uow_factory() as uow:
        for action, rtype, rid, after in calls:
            record(uow, d, principal, action, rtype, rid, after=after)
        uow.commit()


def chain(uow_factory, org_id: str, limit: int = 500) -> list[AuditEntry]:
    entries, after = [], 0
    with uow_factory() as uow:
        for _ in range(100):
            page = uow.audit_logs.in_order(org_id, after_seq=after, limit=limit)
            if not page:
                return entries
            entries += page
            after = page[-1].seq
    raise AssertionError("in_order did not reach the end")


def test_record_builds_a_sealed_chain_with_the_request_origin(uow_factory):
    d = deps()
    caller = Principal("o1", "u1", ip="10.0.0.7", request_id="req-1")
    write(uow_factory, d, caller, ("deployment.create", "deployment", "etl", {"name": "etl"}))
    write(uow_factory, d, Principal("o1"), ("deployment.pause", "deployment", "etl", None))
    entries = chain(uow_factory, "o1")
    assert [e.seq for e in entries] == [1, 2]
    first, second = entries
    assert (first.actor, first.action, first.resource_type, first.resource_id) == (
        "user:u1", "deployment.create", "deployment", "etl")
    assert (first.ip, first.request_id, first.after, first.at) == (
        "10.0.0.7", "req-1", {"name": "etl"}, T0)
    assert first.at.utcoffset() == timedelta(0)
    assert first.prev_hash == GENESIS and second.prev_hash == first.entry_hash
    assert second.actor == "system" and second.after is None
    assert verify_chain(entries) is None
    with uow_factory() as uow:
        assert uow.audit_logs.last("o1").entry_hash == second.entry_hash
        assert uow.audit_logs.last("o2") is None


def test_values_are_redacted_and_stored_as_hashed(uow_factory):
    d = deps()
    after = {"name": "hook", "webhook_token": "wt_plain", "config": {"hmac_secret": "s3"},
             "created_at": T0, "tags": ("a", "b"), "n": 1.5}
    write(uow_factory, d, Principal("o1"), ("sensor.create", "sensor", "s1", after))
    (entry,) = chain(uow_factory, "o1")
    assert entry.after == {"name": "hook", "webhook_token": "***",
                           "config": {"hmac_secret": "***"},
                           "created_at": "2026-03-01T12:00:00.123456Z", "tags": ["a", "b"], "n": 1.5}
    assert verify_chain([entry]) is None


def test_without_commit_no_entry_is_stored(uow_factory):
    with uow_factory() as uow:
        record(uow, deps(), Principal("o1"), "flow.register", "flow", "etl")
    assert chain(uow_factory, "o1") == []


def test_a_second_entry_at_the_same_seq_conflicts(uow_factory):
    d = deps()
    write(uow_factory, d, Principal("o1"), ("run.create", "run", "r1", None))
    (stored,) = chain(uow_factory, "o1")
    fork = seal(AuditEntry(uid("a"), "o1", 0, "system", "run.cancel", "run", "r1", at(9)), None)
    with pytest.raises(ConflictError):
        with uow_factory() as uow:
            uow.audit_logs.append(fork)
            uow.commit()
    assert chain(uow_factory, "o1") == [stored]


def test_the_port_has_no_way_to_change_or_remove_an_entry(uow_factory):
    with uow_factory() as uow:
        names = {n for n in dir(uow.audit_logs) if not n.startswith("_")}
    assert names == {"append", "append_many", "last", "list", "in_order"}


def test_record_many_chains_each_org_in_item_order(uow_factory):
    d = deps()
    write(uow_factory, d, Principal("o2"), ("run.create", "run", "r0", None))
    items = [(Principal(org), "run.create", "run", f"r{i}", None, {"i": i})
             for i, org in enumerate(["o2", "o1", "o2", "o1", "o1"], start=1)]
    with uow_factory() as uow:
        record_many(uow, d, items)
        record_many(uow, d, [])
        uow.commit()
    one, two = chain(uow_factory, "o1"), chain(uow_factory, "o2")
    assert [(e.seq, e.resource_id) for e in one] == [(1, "r2"), (2, "r4"), (3, "r5")]
    assert [(e.seq, e.resource_id) for e in two] == [(1, "r0"), (2, "r1"), (3, "r3")]
    assert verify_chain(one) is None and verify_chain(two) is None


def test_append_many_is_all_or_nothing(uow_factory):
    d = deps()
    write(uow_factory, d, Principal("o1"), ("run.create", "run", "r1", None))
    (stored,) = chain(uow_factory, "o1")
    fresh = seal(AuditEntry(uid("a"), "o1", 0, "system", "run.cancel", "run", "r1", at(9)),
                 stored)
    clash = seal(AuditEntry(uid("a"), "o1", 0, "system", "run.cancel", "run", "r1", at(9)),
                 None)
    with pytest.raises(ConflictError):
        with uow_factory() as uow:
            uow.audit_logs.append_many([fresh, clash])
            uow.commit()
    assert chain(uow_factory, "o1") == [stored]


def test_orgs_have_separate_chains(uow_factory):
    d = deps()
    write(uow_factory, d, Principal("o1"), ("run.create", "run", "r1", None))
    write(uow_factory, d, Principal("o2"), ("run.create", "run", "r2", None))
    write(uow_factory, d, Principal("o1"), ("run.cancel", "run", "r1", None))
    assert [e.seq for e in chain(uow_factory, "o1")] == [1, 2]
    assert [(e.seq, e.resource_id) for e in chain(uow_factory, "o2")] == [(1, "r2")]
    with uow_factory() as uow:
        assert [e.org_id for e in uow.audit_logs.list("o2")[0]] == ["o2"]


def test_list_is_newest_first_filtered_and_paged(uow_factory):
    d = deps()
    user, key = Principal("o1", "u1"), Principal("o1", key_id="k1")
    for i in range(7):  # at = T0 + i seconds
        write(uow_factory, d, user if i % 2 else key,
              ("deployment.update", "deployment" if i < 5 else "schedule", f"d{i % 3}", None))
    with uow_factory() as uow:
        repo = uow.audit_logs
        assert [e.seq for e in all_pages(lambda **kw: repo.list("o1", **kw), 2)] == [
            7, 6, 5, 4, 3, 2, 1]
        assert [e.seq for e in repo.list("o1", resource_type="deployment",
                                         resource_id="d1")[0]] == [5, 2]
        assert [e.seq for e in all_pages(lambda **kw: repo.list("o1", actor="user:u1", **kw),
                                         1)] == [6, 4, 2]
        assert [e.seq for e in repo.list("o1", since=at(2), until=at(5))[0]] == [5, 4, 3]
        assert [e.seq for e in repo.list("o1", resource_type="schedule")[0]] == [7, 6]
        assert repo.list("o1", actor="user:nobody") == ([], None)
        assert repo.list("o2") == ([], None)


def test_in_order_walks_oldest_first_from_a_seq(uow_factory):
    d = deps()
    write(uow_factory, d, Principal("o1"), *[("run.create", "run", f"r{i}", None)
                                             for i in range(5)])
    with uow_factory() as uow:
        assert [e.seq for e in uow.audit_logs.in_order("o1", after_seq=2, limit=2)] == [3, 4]
        assert uow.audit_logs.in_order("o1", after_seq=5) == []
    assert [e.seq for e in chain(uow_factory, "o1", limit=2)] == [1, 2, 3, 4, 5]


@pytest.mark.postgres
def test_concurrent_appends_on_postgres_never_fork_the_chain(tmp_path):
    from contract_databases import empty_database

    from dagy.adapters.sql.migrate import upgrade
    from dagy.adapters.sql.uow import SqlUnitOfWork

    threads_n, per_thread = 6, 8
    with empty_database("postgres", tmp_path) as engine:
        upgrade(engine)
        d, errors, start = deps(), [], threading.Barrier(threads_n, timeout=30)

        def append_many(n: int) -> None:
            try:
                start.wait()
                for i in range(per_thread):
                    with SqlUnitOfWork(engine) as uow:
                        record(uow, d, Principal("o1", f"u{n}"), "run.create", "run",
                               f"r{n}-{i}")
                        uow.commit()
            except Exception as exc:  # reported below, with the thread's name
                errors.append(repr(exc))

        workers = [threading.Thread(target=append_many, args=(n,)) for n in range(threads_n)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        assert not any(w.is_alive() for w in workers) and errors == []
        entries = chain(lambda: SqlUnitOfWork(engine), "o1")
        assert [e.seq for e in entries] == list(range(1, threads_n * per_thread + 1))
        assert verify_chain(entries) is None
