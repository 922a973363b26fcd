"""A restarted server takes back the runs its previous incarnation held, on every datastore.

Leases carry their owner (the server's instance id). At start, before executing
anything, a server re-queues the RUNNING runs whose leases it holds, fresh or not; the
leases of other owners are left alone, however stale they look, until they expire and
the sweeper recovers them.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from execution_harness import (ORG, ShiftedClock, drain, make_deps, pending_run_ids,
                               queued_run, register, stored_run)

from dagy.application.principal import Principal
from dagy.application.use_cases.claim_and_run import claim_run
from dagy.application.use_cases.lost_leases import reclaim_own_leases, requeue_expired
from dagy.application.use_cases.runs import cancel_run
from dagy import flow, task
from dagy.domain.states import RunStatus


@task
def square(x: int) -> int:
    return x * x


@flow(name="squares", version="1")
def squares(x: int = 2):
    return square(x)


def _servers(uow_factory):
    """Two servers sharing one datastore, identified by their lease owners."""
    a = make_deps(uow_factory, lease_owner="server-a")
    register(a, squares)
    b = dataclasses.replace(a, lease_owner="server-b", queue=a.queue)
    return a, b


def test_a_restarted_server_takes_back_only_the_runs_it_held(uow_factory):
    a, b = _servers(uow_factory)
    mine = [queued_run(a, squares, f"mine-{i}", {"x": i}) for i in range(3)]
    theirs = queued_run(a, squares, "theirs", {"x": 9})
    cancelled = queued_run(a, squares, "cancelled", {"x": 5})
    waiting = queued_run(a, squares, "waiting", {"x": 6})
    with a.uow() as uow:  # the triggers' events were delivered: only recovery sends new ones
        uow.outbox.mark_dispatched([e.event_id for e in uow.outbox.pending()], a.clock.now())
        uow.commit()
    for run in (*mine, cancelled):
        assert claim_run(a, ORG, run.run_id) is not None  # server-a claims, then dies
    assert claim_run(b, ORG, theirs.run_id) is not None  # server-b is alive and executing
    cancel_run(a, Principal(ORG), cancelled.run_id)
    assert stored_run(a, mine[0].run_id).lease_owner == "server-a"
    live = stored_run(a, theirs.run_id)

    restarted = dataclasses.replace(a)  # the same identity, a new process
    assert reclaim_own_leases(restarted, limit=2) == 3  # several rounds of at most 2
    for run in mine:
        again = stored_run(a, run.run_id)
        assert again.status is RunStatus.QUEUED
        assert (again.lease_owner, again.lease_expires_at) == (None, None)
    assert sorted(pending_run_ids(a)) == sorted(r.run_id for r in mine)
    kept = stored_run(a, theirs.run_id)
    assert (kept.status, kept.version, kept.lease_owner) == (RunStatus.RUNNING, live.version,
                                                             "server-b")
    assert stored_run(a, cancelled.run_id).status is RunStatus.CANCELLED
    assert stored_run(a, waiting.run_id).status is RunStatus.QUEUED
    assert reclaim_own_leases(restarted) == 0  # nothing held any more

    drain(restarted)
    assert [stored_run(a, r.run_id).result for r in mine] == [0, 1, 4]
    assert all(stored_run(a, r.run_id).lease_owner is None for r in mine)  # released at the end


def test_another_servers_lease_is_recovered_only_once_it_expired(uow_factory):
    a, b = _servers(uow_factory)
    run = queued_run(a, squares, "orphan", {"x": 3})
    assert claim_run(b, ORG, run.run_id) is not None  # server-b claims it, then dies
    assert reclaim_own_leases(a) == 0 and requeue_expired(a) == 0  # its lease is still fresh
    assert stored_run(a, run.run_id).status is RunStatus.RUNNING
    a.clock = ShiftedClock(timedelta(seconds=a.lease_seconds * 2))
    assert requeue_expired(a) == 1
    assert reclaim_own_leases(b) == 0  # the sweeper got it first: server-b's restart finds nothing
    drain(a)
    assert stored_run(a, run.run_id).result == 9


def test_without_an_owner_or_under_the_fail_policy(uow_factory):
    a, _ = _servers(uow_factory)
    run = queued_run(a, squares, "failing", {"x": 3})
    assert claim_run(a, ORG, run.run_id) is not None
    assert reclaim_own_leases(dataclasses.replace(a, lease_owner=None)) == 0
    assert reclaim_own_leases(dataclasses.replace(a, lost_lease_policy="fail")) == 1
    failed = stored_run(a, run.run_id)
    assert failed.status is RunStatus.FAILED and "server restarted" in failed.error_message
    assert failed.lease_owner is None
