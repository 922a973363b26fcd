"""Runs: trigger, read, list, cancel, retry; a run's task runs and logs."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from dagy.application.use_cases import runs
from dagy.domain.errors import ValidationError
from dagy.domain.states import RunStatus
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep
from dagy.entrypoints.api.pagination import (DEFAULT_LIMIT, MAX_LIMIT, Cursor, Limit, cursor_errors,
                                         page, paged)
from dagy.entrypoints.api.query_times import QueryTime
from dagy.entrypoints.api.schemas_common import PlainName, TierName, errors
from dagy.entrypoints.api.schemas_runs import (LogLineView, LogPage, RetryRunBody, RunPage,
                                               RunStatusFilter, RunTriggered, RunView,
                                               TaskRunPage, TaskRunView)

router = APIRouter(tags=["runs"])


class TriggerRunBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    deployment_name: PlainName
    parameters: dict[str, Any] | None = None
    runtime_tier: TierName | None = None
    idempotency_key: Annotated[str, Field(min_length=1, max_length=300)] | None = None


@router.post("/runs", status_code=202, response_model=None, responses={
    202: {"model": RunTriggered, "description": "Queued"},
    200: {"model": RunTriggered, "description": "The run this idempotency key already named"},
    **errors(404, 409)})
async def trigger_run(body: TriggerRunBody, request: Request,
                      principal: PrincipalDep) -> JSONResponse:
    """202 with the QUEUED run; 200 with the first run when the idempotency key repeats.

    Admissions are group-committed (application/use_cases/admission.py): the route only
    waits for its batch, so concurrent triggers share one transaction.
    """
    future = request.app.state.admission.submit(
        principal, body.deployment_name, body.parameters or {}, body.runtime_tier,
        body.idempotency_key)
    run, created = await asyncio.wrap_future(future)
    # a plain JSONResponse: the hottest route skips response-model validation
    view = RunTriggered.from_entity(run, created=created)
    return JSONResponse(view.model_dump(mode="json"), status_code=202 if created else 200)


@router.get("/runs", response_model=RunPage, responses=errors())
def list_runs(deps: DepsDep, principal: PrincipalDep,
              flow_name: Annotated[str | None, Query(max_length=200)] = None,
              deployment_name: Annotated[str | None, Query(max_length=200)] = None,
              status: Annotated[RunStatusFilter | None, Query()] = None,
              created_after: QueryTime | None = None, created_before: QueryTime | None = None,
              limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> dict[str, Any]:
    """Newest first. Times are ISO 8601; a time without an offset is taken as UTC."""
    if status is not None:
        try:
            status = RunStatus(status.upper()).value
        except ValueError:
            names = ", ".join(s.value for s in RunStatus)
            raise ValidationError(f"unknown status {status!r}; choose one of {names}") from None
    with cursor_errors(cursor):
        result = runs.list_runs(deps, principal, flow_name=flow_name,
                                deployment_name=deployment_name, status=status,
                                created_after=_utc(created_after),
                                created_before=_utc(created_before), limit=limit, cursor=cursor)
    return paged(result, RunView.from_entity)


@router.get("/runs/{run_id}", response_model=RunView, responses=errors(404))
def get_run(run_id: str, deps: DepsDep, principal: PrincipalDep) -> RunView:
    return RunView.from_entity(runs.get_run(deps, principal, run_id))


@router.get("/runs/{run_id}/task-runs", response_model=TaskRunPage, responses=errors(404))
def list_task_runs(run_id: str, deps: DepsDep, principal: PrincipalDep,
                   limit: Limit = MAX_LIMIT, cursor: Cursor = None) -> dict[str, Any]:
    with cursor_errors(cursor):
        result = runs.list_task_runs(deps, principal, run_id, limit=limit, cursor=cursor)
    return paged(result, TaskRunView.from_entity)


@router.get("/runs/{run_id}/logs", response_model=LogPage, responses=errors(404))
def read_logs(run_id: str, deps: DepsDep, principal: PrincipalDep,
              limit: Limit = MAX_LIMIT, cursor: Cursor = None) -> dict[str, Any]:
    """Lines in write order. The sink's cursor is a tail position: an empty page means
    "nothing more yet" (next_cursor null); pass the last cursor again later to follow."""
    with cursor_errors(cursor):
        lines, next_cursor = runs.read_logs(deps, principal, run_id, limit=limit, cursor=cursor)
    return page(lines, next_cursor if lines else None, LogLineView.from_entity)


@router.post("/runs/{run_id}/cancel", response_model=RunView, responses=errors(404, 409))
def cancel_run(run_id: str, deps: DepsDep, principal: PrincipalDep) -> RunView:
    return RunView.from_entity(runs.cancel_run(deps, principal, run_id))


@router.post("/runs/{run_id}/retry", response_model=RunView, responses=errors(404, 409))
def retry_run(run_id: str, deps: DepsDep, principal: PrincipalDep,
              body: RetryRunBody | None = None) -> RunView:
    """Queue a FAILED or CANCELLED run again; succeeded tasks and mapped items are kept.
    With `from_tasks`, those tasks and everything downstream run again (a SUCCEEDED run
    may be retried this way); an unknown task is 422 and changes nothing."""
    from_tasks = body.from_tasks if body is not None else None
    return RunView.from_entity(runs.retry_run(deps, principal, run_id, from_tasks))


def _utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)
