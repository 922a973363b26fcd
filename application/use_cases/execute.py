"""execute_run: claim a queued run, run its DAG in-process, persist everything.

This is the Lambda / "nano" backend and the local server's executor. Duplicate
deliveries do nothing (the claim is a compare-and-set QUEUED -> RUNNING); a re-queued
run skips tasks whose results were persisted and keeps their records as they were.
Tasks that were in flight when an executor died run again: tasks run at least once.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from dagy.application.deps import Deps
from dagy.application.execution import RunExecution
from dagy.application.recording import StoreRecorder, json_safe
from dagy.application.runner import DagRunner
from dagy.application.use_cases.flows import cached_version
from dagy.application.use_cases.lease import RunLease
from dagy.domain.events import RUN_EXECUTE, OutboxEvent, envelope
from dagy.domain.states import RunStatus

logger = logging.getLogger("dagy.executor")


def claim_run(deps: Deps, org_id: str, run_id: str):
    """QUEUED -> RUNNING with a fresh lease held by `deps.lease_owner`; None if someone
    else has it or it is not queued. Returns (run, flow record, task runs kept from an
    earlier attempt)."""
    now = deps.clock.now()
    with deps.uow() as uow:
        run = uow.runs.get(org_id, run_id)
        if run is None or run.status is not RunStatus.QUEUED:
            return None
        expected = run.version
        run.move_to(RunStatus.RUNNING, now)
        run.version += 1
        run.lease_expires_at = now + timedelta(seconds=deps.lease_seconds)
        run.lease_owner = deps.lease_owner
        run.executor = run.executor or "local"
        if not uow.runs.compare_and_set(run, RunStatus.QUEUED, expected):
            return None
        record = cached_version(deps, uow, org_id, run.flow_name, run.flow_version)
        # a run claimed for the first time (version 0 before the claim) has no results yet
        kept = uow.task_runs.succeeded_task_runs(org_id, run_id) if expected else []
        uow.commit()
    return run, record, kept


def execute_run(deps: Deps, org_id: str, run_id: str) -> RunStatus | None:
    claimed = claim_run(deps, org_id, run_id)
    if claimed is None:
        return None
    run, record, kept = claimed
    with RunLease(deps, run) as lease:
        recorder = StoreRecorder(deps, run)
        try:
            plan = deps.flow_loader.load(record)
        except Exception as exc:
            run.move_to(RunStatus.FAILED, deps.clock.now())
            run.error_message = f"could not load flow {record.flow_name!r}: {exc}"
            recorder.run_changed(run)
            recorder.flush()
            lease.finish(run)
            return run.status
        task_runner = deps.task_runner_factory()
        try:
            # the execution itself, not DagRunner.run: it also takes the stored records
            runner = DagRunner(task_runner, recorder, now=deps.clock.now)
            RunExecution(runner, plan, run.parameters, run, lease.cancel).execute(
                {tr.task_id: tr.result for tr in kept}, {tr.task_id: tr for tr in kept})
        finally:
            task_runner.close()
        run.result = json_safe(run.result)
        if not lease.finish(run):
            logger.info("run %s was changed elsewhere (cancelled or re-queued); kept that state",
                        run_id)
    return run.status


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
    return True


def apply_status_update(deps: Deps, org_id: str, run_id: str, status: str,
                        error_message: str | None = None, external_id: Any = None) -> bool:
    """A backend reports a run's state (Step Functions, ECS). Illegal changes are ignored."""
    from dagy.domain.errors import IllegalTransition
    with deps.uow() as uow:
        run = uow.runs.get(org_id, run_id)
        if run is None:
            return False
        expected_status, expected_version = run.status, run.version
        try:
            run.move_to(RunStatus(status), deps.clock.now())
        except (IllegalTransition, ValueError):
            return False
        run.error_message = error_message or run.error_message
        run.external_id = external_id or run.external_id
        run.version += 1
        if uow.runs.compare_and_set(run, expected_status, expected_version):
            uow.commit()
            return True
    return False
