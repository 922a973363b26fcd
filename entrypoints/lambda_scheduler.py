"""AWS Lambda entry point for the scheduler tick (EventBridge, once a minute).

Payload: `{"dagy_event_type": "scheduler_tick", "max_due": 100}`. Runs one bounded tick,
sweeps lost leases, relays the outbox, and answers what it did.
"""

from __future__ import annotations

import logging
from typing import Any

from dagy.application.use_cases.lost_leases import requeue_expired
from dagy.application.use_cases.scheduler import check_max_due, run_tick
from dagy.domain.errors import ValidationError
from dagy.entrypoints.lambda_runtime import get_deps, relay_after

logger = logging.getLogger("dagy.lambda_scheduler")


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    event = event if isinstance(event, dict) else {}
    if event.get("dagy_event_type", "scheduler_tick") != "scheduler_tick":
        return {"error": f"unexpected event {event.get('dagy_event_type')!r}"}
    try:
        max_due = check_max_due(event.get("max_due", 100))  # the tick owns the rule
    except ValidationError as exc:
        return {"error": str(exc)}
    deps = get_deps()
    result = run_tick(deps, max_due, max_batches=1)
    swept = requeue_expired(deps)
    relay_after(deps)
    if result.refused:
        logger.warning("refused slots: %s", result.refused[:20])
    return {"schedules": result.schedules, "triggered": result.triggered,
            "skipped_slots": result.skipped_slots, "refused": len(result.refused),
            "conflicts": result.conflicts, "requeued": swept}
