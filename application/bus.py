"""The message bus: routes `dagy_event_type` to idempotent handlers.

One bus serves the local consumer loop and the SQS Lambda handler.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.application.use_cases.backend_status import apply_status_update
from dagy.application.use_cases.claim_and_run import execute_run
from dagy.application.use_cases.runs import trigger_run
from dagy.application.use_cases.sensor_triggers import handle_s3_notification
from dagy.domain.events import (FLOW_TRIGGER, RUN_EXECUTE, RUN_RETRY, RUN_STATUS_UPDATE, SCHEDULER_TICK,
                           BadEventError,
                           parse_envelope)
from dagy.domain.errors import ValidationError

logger = logging.getLogger("dagy.bus")
Handler = Callable[[Deps, dict[str, Any]], Any]


def _run_execute(deps: Deps, event: dict[str, Any]) -> Any:
    return execute_run(deps, event["org_id"], _require(event, "run_id"))


def _flow_trigger(deps: Deps, event: dict[str, Any]) -> Any:
    """Idempotent under redelivery: the run is keyed by the event's idempotency_key, else
    its event_id, else the queue message id (the same on every redelivery). An S3 object
    notification triggers the matching s3 sensors, keyed by the object's version."""
    if event.get("source") == "s3":
        if not isinstance(event.get("Records"), list):
            raise BadEventError("an s3 flow_trigger event needs a list of Records")
        return handle_s3_notification(deps, event["Records"])
    key = event.get("idempotency_key") or event.get("event_id")
    if not key and event.get("_message_id"):
        key = f"message:{event['_message_id']}"
    return trigger_run(deps, Principal(event["org_id"]), _require(event, "deployment_name"),
                       event.get("parameters") or {}, event.get("runtime_tier"),
                       str(key) if key else None)


def _run_status_update(deps: Deps, event: dict[str, Any]) -> Any:
    return apply_status_update(deps, event["org_id"], _require(event, "run_id"),
                               _require(event, "status"), event.get("error_message"),
                               event.get("external_id"))


def _require(event: dict[str, Any], key: str) -> Any:
    value = event.get(key)
    if not isinstance(value, str) or not value:
        raise BadEventError(f"{event.get('dagy_event_type')} event needs a string {key!r}")
    return value


def _scheduler_tick(deps: Deps, event: dict[str, Any]) -> Any:
    from dagy.application.use_cases.scheduler import check_max_due, run_tick
    try:
        max_due = check_max_due(event.get("max_due", 100))
    except ValidationError as exc:  # a max_due the tick refuses: the event is unusable
        raise BadEventError(f"scheduler_tick: {exc}") from None
    return run_tick(deps, max_due, max_batches=1)


HANDLERS: dict[str, Handler] = {
    SCHEDULER_TICK: _scheduler_tick,
    RUN_EXECUTE: _run_execute,
    RUN_RETRY: _run_execute,  # a retried run is QUEUED again; execution resumes from results
    FLOW_TRIGGER: _flow_trigger,
    RUN_STATUS_UPDATE: _run_status_update,
}


class MessageBus:
    def __init__(self, deps: Deps, handlers: dict[str, Handler] | None = None) -> None:
        self.deps = deps
        self.handlers = dict(HANDLERS if handlers is None else handlers)

    def handle(self, body: str | bytes | dict, message_id: str | None = None) -> Any:
        """Run the handler for one event. BadEventError for a message no handler can use.
        `message_id` (stable across redeliveries) lets non-idempotent events dedupe."""
        event = parse_envelope(body)
        if message_id:
            event = {**event, "_message_id": message_id}
        handler = self.handlers.get(event["dagy_event_type"])
        if handler is None:
            raise BadEventError(f"unknown dagy_event_type {event['dagy_event_type']!r}")
        if event["dagy_event_type"] == SCHEDULER_TICK:  # a system event: every org's schedules
            return handler(self.deps, event)
        if not isinstance(event.get("org_id"), str):
            raise BadEventError("event has no org_id")
        if event["org_id"] == "*" and not (event["dagy_event_type"] == FLOW_TRIGGER
                                           and event.get("source") == "s3"):
            raise BadEventError("only S3 notifications may span organizations (org_id '*')")
        return handler(self.deps, event)
