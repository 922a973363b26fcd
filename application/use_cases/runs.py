"""Triggering, cancelling, retrying and reading runs."""

from __future__ import annotations

from typing import Any

from dagy.application import audit_trail
from dagy.application.audit_views import run_view
from dagy.application.deps import Deps
from dagy.application.environments import check_key_scope, check_run_scope, run_defaults
from dagy.application.principal import Principal
from dagy.application.use_cases import run_clear
from dagy.application.use_cases.flows import cached_version
from dagy.domain.errors import ConflictError, NotFoundError, ValidationError
from dagy.domain.events import RUN_EXECUTE, RUN_RETRY, OutboxEvent, envelope
from dagy.domain.json_values import check_storable
from dagy.domain.parameters import bind_parameters
from dagy.domain.runs import Run, TriggerSource
from dagy.domain.slugs import new_run_slug
from dagy.domain.states import RunStatus
from dagy.domain.tiers import parse_tier


def trigger_run(deps: Deps, principal: Principal, deployment_name: str,
                parameters: dict[str, Any] | None = None, runtime_tier: str | None = None,
                idempotency_key: str | None = None,
                trigger_source: TriggerSource | None = None) -> tuple[Run, bool]:
    """Queue a run of a deployment: the Run (QUEUED) and its `run_execute` event are
    written in one transaction. A repeated idempotency key returns the first run."""
    with deps.uow() as uow:
        run, created = prepare_run(deps, uow, principal, deployment_name, parameters,
                                   runtime_tier, idempotency_key,
                                   trigger_source=trigger_source)
        if created:
            run, created = add_prepared(deps, uow, run)
        if created:
            audit_trail.record(uow, deps, principal, "run.create", "run", run.run_id,
                               after=run_view(run))
        uow.commit()
    return run, created


def prepare_run(deps: Deps, uow: Any, principal: Principal, deployment_name: str,
                parameters: dict[str, Any] | None = None, runtime_tier: str | None = None,
                idempotency_key: str | None = None,
                deployments: dict | None = None,
                trigger_source: TriggerSource | None = None) -> tuple[Run, bool]:
    """Validate a trigger and build its Run without writing anything.

    Returns (existing run, False) for a repeated idempotency key, else (new run, True).
    `deployments` memoizes deployment reads across the admissions of one transaction.
    Without `trigger_source`, a person's trigger is `manual` and any other caller's `api`.
    """
    if parameters is not None and not isinstance(parameters, dict):
        raise ValidationError("parameters must be an object")
    if idempotency_key is not None and (not isinstance(idempotency_key, str)
                                        or not 0 < len(idempotency_key) <= 300
                                        or "\x00" in idempotency_key):
        raise ValidationError("idempotency_key must be a string of 1 to 300 characters "
                              "without NUL")
    tier = parse_tier(runtime_tier)
    if idempotency_key:
        existing = uow.runs.get_by_idempotency_key(principal.org_id, idempotency_key)
        if existing is not None:
            return existing, False
    memo_key = (principal.org_id, deployment_name)
    deployment = deployments.get(memo_key) if deployments is not None else None
    if deployment is None:
        deployment = uow.deployments.get(principal.org_id, deployment_name)
        if deployments is not None and deployment is not None:
            deployments[memo_key] = deployment
    if deployment is None:
        raise NotFoundError(f"deployment {deployment_name!r} not found")
    check_key_scope(principal, deployment.environment)
    if deployment.paused:
        raise ConflictError(f"deployment {deployment_name!r} is paused")
    record, bound = bind_run_parameters(deps, uow, principal.org_id, deployment, parameters)
    tier, executor = tier or deployment.default_runtime_tier, deployment.default_executor
    if tier is None or executor is None:  # the environment's defaults, then the flow's
        env_tier, env_executor = run_defaults(uow, principal.org_id, deployment.environment,
                                              deployments)
        tier, executor = tier or env_tier, executor or env_executor
    return Run(deps.ids.new_id(), record.flow_name, record.flow_version, RunStatus.QUEUED,
               bound, deployment.deployment_name, new_run_slug(),
               created_at=deps.clock.now(), org_id=principal.org_id,
               idempotency_key=idempotency_key, runtime_tier=tier,
               executor=executor or record.default_executor,
               trigger_source=trigger_source or _caller_source(principal)), True


def _caller_source(principal: Principal) -> TriggerSource:
    return TriggerSource.MANUAL if principal.user_id and not principal.key_id else TriggerSource.API


def bind_run_parameters(deps: Deps, uow: Any, org_id: str, deployment: Any,
                        parameters: dict[str, Any] | None) -> tuple[Any, dict[str, Any]]:
    """The flow version a run of `deployment` uses and its bound parameters (`parameters`
    over the deployment's); raises ValidationError when they do not fit the flow. The one
    owner of that check: triggers and schedule writes both call it."""
    record = cached_version(deps, uow, org_id, deployment.flow_name, deployment.flow_version)
    bound = check_storable(bind_parameters(record.flow_spec.parameters,
                                           {**deployment.parameters, **(parameters or {})}),
                           "parameters")
    return record, bound


def execute_event(deps: Deps, run: Run) -> OutboxEvent:
    return OutboxEvent(deps.ids.new_id(), envelope(RUN_EXECUTE, run.org_id, run_id=run.run_id),
                       run.created_at)


def add_prepared(deps: Deps, uow: Any, run: Run) -> tuple[Run, bool]:
    """Write one prepared run and its event; a key committed concurrently wins."""
    try:
        uow.runs.add(run)
    except ConflictError:
        existing = uow.runs.get_by_idempotency_key(run.org_id, run.idempotency_key or "")
        if existing is None:
            raise
        return existing, False
    uow.outbox.add(execute_event(deps, run))
    return run, True


def get_run(deps: Deps, principal: Principal, run_id: str) -> Run:
    with deps.uow() as uow:
        run = uow.runs.get(principal.org_id, run_id)
    if run is None:
        raise NotFoundError(f"run {run_id!r} not found")
    return run


def cancel_run(deps: Deps, principal: Principal, run_id: str) -> Run:
    """QUEUED or RUNNING -> CANCELLED. A running executor sees it and stops between tasks."""
    for _ in range(5):  # lose a race with the executor: read again and retry
        with deps.uow() as uow:
            run = uow.runs.get(principal.org_id, run_id)
            if run is None:
                raise NotFoundError(f"run {run_id!r} not found")
            check_run_scope(uow, principal, run.deployment_name)
            if run.status.is_terminal:
                raise ConflictError(f"run {run_id} is already {run.status}")
            expected_status, expected_version = run.status, run.version
            before = run_view(run)
            run.move_to(RunStatus.CANCELLED, deps.clock.now())
            run.version += 1
            if uow.runs.compare_and_set(run, expected_status, expected_version):
                audit_trail.record(uow, deps, principal, "run.cancel", "run", run_id,
                                   before=before, after=run_view(run))
                uow.commit()
                return run
    raise ConflictError(f"run {run_id} is changing too fast to cancel; try again")


def retry_run(deps: Deps, principal: Principal, run_id: str,
              from_tasks: list[str] | None = None) -> Run:
    """FAILED or CANCELLED -> QUEUED; tasks that already succeeded (and each succeeded
    item of a mapped task) are not run again.

    With `from_tasks` (task ids, or task names that name one task), those tasks and
    everything downstream of them run again even if they succeeded, and a SUCCEEDED run
    may be retried too. Their task runs are reset in the same transaction as the
    re-queue (run_clear.py), so whichever executor claims the run sees the choice. An
    unknown task is a ValidationError and nothing is written.
    """
    names = None if from_tasks is None else run_clear.check_from_tasks(from_tasks)
    now = deps.clock.now()
    with deps.uow() as uow:
        run = uow.runs.get(principal.org_id, run_id)
        if run is None:
            raise NotFoundError(f"run {run_id!r} not found")
        check_run_scope(uow, principal, run.deployment_name)
        allowed = (RunStatus.FAILED, RunStatus.CANCELLED) + ((RunStatus.SUCCEEDED,) if names else ())
        if run.status not in allowed:
            raise ConflictError("only FAILED or CANCELLED runs can be retried (SUCCEEDED "
                                f"ones too with from_tasks); run is {run.status}")
        chosen: set[str] = set()
        if names:
            spec = cached_version(deps, uow, principal.org_id, run.flow_name,
                                  run.flow_version).flow_spec
            chosen = run_clear.with_downstream(spec, run_clear.resolve_tasks(spec, names))
        expected_status, expected_version = run.status, run.version
        before = run_view(run)
        run.move_to(RunStatus.QUEUED, now)
        run.error_message, run.result, run.version = None, None, run.version + 1
        if not uow.runs.compare_and_set(run, expected_status, expected_version):
            raise ConflictError(f"run {run_id} changed while retrying; try again")
        if chosen:
            run_clear.reset_task_runs(uow, principal.org_id, run_id, chosen, now)
        uow.outbox.add(OutboxEvent(deps.ids.new_id(),
                                   envelope(RUN_RETRY, principal.org_id, run_id=run_id), now))
        after = run_view(run)
        if chosen:  # the task runs cleared to run again
            after["cleared_tasks"] = sorted(chosen)
        audit_trail.record(uow, deps, principal, "run.clear" if chosen else "run.retry",
                           "run", run_id, before=before, after=after)
        uow.commit()
    return run


def list_runs(deps: Deps, principal: Principal, **filters: Any):
    with deps.uow() as uow:
        return uow.runs.list(principal.org_id, **filters)


def list_task_runs(deps: Deps, principal: Principal, run_id: str, limit: int = 1000,
                   cursor: str | None = None):
    get_run(deps, principal, run_id)
    with deps.uow() as uow:
        return uow.task_runs.list_for_run(principal.org_id, run_id, limit=limit, cursor=cursor)


def read_logs(deps: Deps, principal: Principal, run_id: str, limit: int = 1000,
              cursor: str | None = None):
    get_run(deps, principal, run_id)
    return deps.logs.read(principal.org_id, run_id, limit=limit, cursor=cursor)
