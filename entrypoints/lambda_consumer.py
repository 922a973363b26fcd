"""AWS Lambda entry point for the SQS event queue: every record goes through the MessageBus
(a raw S3 notification first becomes its flow_trigger envelope: s3_notifications.py).

Partial batch responses: only records whose handler failed are reported in
`batchItemFailures` and come back; unusable events (BadEventError) are logged and dropped,
since retrying them cannot help. The function's event source mapping must enable
`ReportBatchItemFailures`.
"""

from __future__ import annotations

import logging
from typing import Any

from dagy.application.bus import MessageBus
from dagy.domain.events import BadEventError
from dagy.entrypoints.lambda_runtime import get_deps, relay_after
from dagy.entrypoints.s3_notifications import as_envelope

logger = logging.getLogger("dagy.lambda_consumer")


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    bus = MessageBus(get_deps())
    failures: list[dict[str, str]] = []
    for record in (event or {}).get("Records") or []:
        message_id = record.get("messageId") if isinstance(record, dict) else None
        try:
            body = record.get("body") if isinstance(record, dict) else None
            if not isinstance(body, str):
                raise BadEventError("SQS record has no string body")
            bus.handle(as_envelope(body), message_id)
        except BadEventError as exc:
            logger.error("dropping unusable event %s: %s", message_id, exc)
        except Exception:
            logger.exception("event %s failed; SQS will deliver it again", message_id)
            if message_id:
                failures.append({"itemIdentifier": message_id})
    relay_after(bus.deps)
    return {"batchItemFailures": failures}
