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
    try:
        data = json.loads(body) if not isinstance(body, dict) else body
    except (ValueError, RecursionError):
        raise BadEventError("event body is not JSON") from None
    if isinstance(data, dict) and "dagy_event_type" not in data and _is_s3_notification(data):
        return {"dagy_event_type": FLOW_TRIGGER, "source": "s3", "org_id": "*",
                "Records": data["Records"]}
    if not isinstance(data, dict) or not isinstance(data.get("dagy_event_type"), str):
        raise BadEventError("event has no dagy_event_type")
    return data


def _is_s3_notification(data: dict[str, Any]) -> bool:
    """A raw S3 event notification (S3 -> SQS): its first record comes from aws:s3."""
    records = data.get("Records")
    return (isinstance(records, list) and bool(records) and isinstance(records[0], dict)
            and records[0].get("eventSource") == "aws:s3")
