"""Executing runs through the use cases on any datastore adapter (memory, SQLite, PostgreSQL).

Flows are registered straight from Python (a FlowRecord row and an in-memory plan), runs
are added QUEUED, and `drain` moves the outbox through an in-memory queue to the message
bus the way the server's relay and consumers do.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from dagy.adapters.compute.threads import ThreadPoolTaskRunner
from dagy.application.bus import MessageBus
from dagy.application.consumer import consume_batch
from dagy.application.deps import Deps
from dagy.application.use_cases.outbox import relay_outbox
from dagy.domain.catalog import FlowRecord
from dagy.domain.events import RUN_EXECUTE, OutboxEvent, envelope
from dagy.domain.runs import Run, TaskRun
from dagy.domain.states import RunStatus
from dagy.entrypoints.wiring import build_deps

ORG = "org-1"


class ShiftedClock:
    """The system clock moved by `delta`: leases taken before the shift look expired."""

    def __init__(self, delta: timedelta) -> None:
        self.delta = delta

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self.delta


def make_deps(uow_factory, **fields) -> Deps:
    return build_deps(uow=uow_factory, task_runner_factory=lambda: ThreadPoolTaskRunner(2),
                      **fields)


def register(deps: Deps, flow_obj, code_hash: str = "c" * 64) -> None:
    record = FlowRecord(ORG, flow_obj.name, flow_obj.version, flow_obj.spec,
                        f"memory://{flow_obj.name}", code_hash)
    with deps.uow() as uow:
        uow.flows.add(record)
        uow.commit()
    deps.flow_loader.register(flow_obj.name, code_hash, flow_obj.plan)


def queued_run(deps: Deps, flow_obj, run_id: str, parameters: dict | None = None) -> Run:
    """A QUEUED run and its run_execute event, committed together (as trigger_run does)."""
    run = Run(run_id, flow_obj.name, flow_obj.version, parameters=dict(parameters or {}),
              org_id=ORG, created_at=deps.clock.now())
    with deps.uow() as uow:
        uow.runs.add(run)
        uow.outbox.add(OutboxEvent(deps.ids.new_id(),
                                   envelope(RUN_EXECUTE, ORG, run_id=run_id), deps.clock.now()))
        uow.commit()
    return run


def drain(deps: Deps, rounds: int = 20) -> None:
    bus = MessageBus(deps)
    for _ in range(rounds):
        relay_outbox(deps)
        if consume_batch(bus, 10) == 0 and relay_outbox(deps) == 0:
            return


def stored_run(deps: Deps, run_id: str) -> Run:
    with deps.uow() as uow:
        return uow.runs.get(ORG, run_id)


def stored_task_runs(deps: Deps, run_id: str) -> dict[str, TaskRun]:
    with deps.uow() as uow:
        listed, _ = uow.task_runs.list_for_run(ORG, run_id)
    return {tr.task_id: tr for tr in listed}


def pending_run_ids(deps: Deps) -> list[str]:
    """The run ids of run_execute events not yet relayed."""
    with deps.uow() as uow:
        return [event.payload["run_id"] for event in uow.outbox.pending()
                if event.payload.get("dagy_event_type") == RUN_EXECUTE]


def is_status(deps: Deps, run_id: str, status: RunStatus) -> bool:
    return stored_run(deps, run_id).status is status
