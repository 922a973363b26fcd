"""Raw S3 event notifications on the event queue, turned into Dagy event envelopes.

S3 writes its own JSON to an SQS queue (`{"Records": [{"eventSource": "aws:s3", ...}]}`),
not a Dagy envelope. Recognising that wire format is the consumers' job, so it lives here,
where messages arrive (the SQS Lambda handler and the server's consumer loop), and the
domain's envelopes stay about Dagy's own events. What such a notification becomes: a
FLOW_TRIGGER from source "s3" spanning organizations (`org_id "*"`), which the S3 sensors
of every organization match.
"""

from __future__ import annotations

import json
from typing import Any

from dagy.domain.events import FLOW_TRIGGER, envelope


def is_s3_notification(data: Any) -> bool:
    """A raw S3 event notification (S3 -> SQS): no dagy_event_type, and its first record
    comes from aws:s3."""
    if not isinstance(data, dict) or "dagy_event_type" in data:
        return False
    records = data.get("Records")
    return (isinstance(records, list) and bool(records) and isinstance(records[0], dict)
            and records[0].get("eventSource") == "aws:s3")


def as_envelope(body: str | bytes | dict) -> str | bytes | dict:
    """`body` as the bus takes it: a raw S3 notification becomes its FLOW_TRIGGER envelope
    (a dict, so the bus does not parse it again); any other body is answered unchanged,
    or already parsed, for the bus to check."""
    data = body
    if isinstance(body, (str, bytes, bytearray)):
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return body  # not JSON: the bus refuses it as an unusable event
    if is_s3_notification(data):
        return envelope(FLOW_TRIGGER, "*", source="s3", Records=data["Records"])
    return data
