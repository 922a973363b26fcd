"""Runs whose executor is gone: the lease sweeper and a restarted server's reclaim.

A run's executor holds a lease it keeps extending; a run whose lease expired (or whose
owner restarted) is re-queued, or failed, by the lost-lease policy. Every change is a
compare-and-set, so a run a cancel or another sweeper changed first is left alone.
"""

from __future__ import annotations

import logging
from typing import Any

from dagy.application.deps import Deps
from dagy.domain.events import RUN_EXECUTE, OutboxEvent, envelope
from dagy.domain.states import RunStatus

logger = logging.getLogger("dagy.leases")


def requeue_expired(deps: Deps, limit: int = 100) -> int:
    """Runs whose executor died: re-queue them (default) or fail them, by policy."""
    now = deps.clock.now()
    with deps.uow() as uow:
        handled = sum(_recover(deps, uow, run, now, "the executor stopped responding "
                               "(lease expired)") for run in uow.runs.expired_leases(now, limit))
        uow.commit()
    return handled


def reclaim_own_leases(deps: Deps, limit: int = 100, max_rounds: int = 1000) -> int:
    """At a server's start: recover at once the runs whose leases `deps.lease_owner` holds
    (its previous incarnation died executing them), as the sweeper would once they expired.

    Only for a caller that knows no live executor holds leases as this owner (the server
    holds its identity exclusively and has not started executing yet). Each change is a
    compare-and-set, so a run another server's sweeper or a cancel got first is left alone.
    """
    if not deps.lease_owner:
        return 0
    total = 0
    for _ in range(max_rounds):
        now = deps.clock.now()
        with deps.uow() as uow:
            held = uow.runs.leases_held_by(deps.lease_owner, limit)
            handled = sum(_recover(deps, uow, run, now, "the server restarted while the run "
                                   "was executing") for run in held)
            uow.commit()
        total += handled
        if len(held) < limit or not handled:
            break
    return total


def _recover(deps: Deps, uow: Any, run: Any, now: Any, reason: str) -> bool:
    """RUNNING -> QUEUED (with a run_execute event) or FAILED, by the lost-lease policy;
    False (and no event) if the run changed since it was read."""
    expected, requeue = run.version, deps.lost_lease_policy != "fail"
    run.move_to(RunStatus.QUEUED if requeue else RunStatus.FAILED, now)
    if not requeue:
        run.error_message = reason
    run.version += 1
    run.lease_expires_at = run.lease_owner = None
    if not uow.runs.compare_and_set(run, RunStatus.RUNNING, expected):
        return False
    if requeue:
        uow.outbox.add(OutboxEvent(deps.ids.new_id(),
                                   envelope(RUN_EXECUTE, run.org_id, run_id=run.run_id), now))
    logger.info("run %s %s: %s", run.run_id, "re-queued" if requeue else "failed", reason)
    return True
