"""Event envelopes on the queue: `{"dagy_event_type": ..., "org_id": ..., ...}`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dagy.domain.errors import DagyError

FLOW_TRIGGER = "flow_trigger"
RUN_EXECUTE = "run_execute"
RUN_RETRY = "run_retry"
RUN_STATUS_UPDATE = "run_status_update"
SCHEDULER_TICK = "scheduler_tick"
EVENT_TYPES = (FLOW_TRIGGER, RUN_EXECUTE, RUN_RETRY, RUN_STATUS_UPDATE, SCHEDULER_TICK)


class BadEventError(DagyError):
    """A queue message that is not a Dagy event envelope."""


@dataclass
class OutboxEvent:
    """An event written in the same transaction as the change it announces."""

    event_id: str
    payload: dict[str, Any]
    created_at: datetime | None = None
    dispatched_at: datetime | None = None

    @property
    def body(self) -> str:
        return json.dumps(self.payload, sort_keys=True, separators=(",", ":"))


def envelope(event_type: str, org_id: str, **fields: Any) -> dict[str, Any]:
    return {"dagy_event_type": event_type, "org_id": org_id, **fields}


def parse_envelope(body: str | bytes | dict) -> dict[str, Any]:
    """The envelope in `body` (JSON text or already parsed); BadEventError if it is not one.
    Foreign formats (a raw S3 notification) are translated by the consumer's entrypoint
    (dagy.entrypoints.s3_notifications) before they get here."""
    try:
        data = json.loads(body) if not isinstance(body, dict) else body
    except (ValueError, RecursionError):
        raise BadEventError("event body is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("dagy_event_type"), str):
        raise BadEventError("event has no dagy_event_type")
    return data

