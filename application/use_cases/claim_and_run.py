"""claim_run and execute_run: claim a queued run, run its DAG in-process, persist everything.

This is the Lambda / "nano" backend and the local server's executor. Duplicate
deliveries do nothing (the claim is a compare-and-set QUEUED -> RUNNING); a re-queued
run skips tasks whose results were persisted, and the succeeded items of mapped tasks,
and keeps their records as they were.
Tasks that were in flight when an executor died run again: tasks run at least once.
The run's recorder owns its stored state from the claim on: the heartbeat extends the
lease through it and it commits the end, so the status returned is the one stored.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from dagy.application.dag_loop import RunExecution
from dagy.application.dag_runner import DagRunner
from dagy.application.deps import Deps
from dagy.application.recording import StoreRecorder
from dagy.application.use_cases.stored_secrets import run_secrets
from dagy.application.use_cases.flows import cached_version
from dagy.application.use_cases.lease import RunLease
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
    logger.info("run %s claimed: flow %s version %s", run_id, run.flow_name, run.flow_version)
    return run, record, kept


def execute_run(deps: Deps, org_id: str, run_id: str) -> RunStatus | None:
    """Claim and run; the status committed at the end (a cancel that won the race says
    CANCELLED), or None if the run was not this executor's to run."""
    claimed = claim_run(deps, org_id, run_id)
    if claimed is None:
        return None
    started = time.monotonic()
    status = _execute_claimed(deps, *claimed)
    logger.info("run %s finished %s in %.0f ms", run_id, status.value,
                (time.monotonic() - started) * 1000)
    return status


def _execute_claimed(deps: Deps, run, record, kept) -> RunStatus:
    """Run a claimed run's DAG to its end; the status its recorder committed."""
    with StoreRecorder(deps, run) as recorder, RunLease(deps, recorder) as lease:
        try:
            plan = deps.flow_loader.load(record)
        except Exception as exc:
            run.move_to(RunStatus.FAILED, deps.clock.now())
            run.error_message = f"could not load flow {record.flow_name!r}: {exc}"
            return recorder.finish(run).status
        task_runner = deps.task_runner_factory()
        try:
            # the execution itself, not DagRunner.run: it also takes the stored records
            runner = DagRunner(task_runner, recorder, now=deps.clock.now)
            whole = {tr.task_id: tr for tr in kept if tr.map_index is None}
            items: dict[str, dict[int, object]] = {}
            for tr in kept:
                if tr.map_index is not None:
                    items.setdefault(tr.task_id, {})[tr.map_index] = tr
            report = RunExecution(runner, plan, run.parameters, run, lease.cancel,
                                  run_secrets(deps, run)).execute(
                {tid: tr.result for tid, tr in whole.items()}, whole, items)
        finally:
            task_runner.close()
    return report.status
