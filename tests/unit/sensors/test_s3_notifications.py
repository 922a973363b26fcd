"""Raw S3 notifications become flow_trigger envelopes at the consumer's entrypoint only."""

from __future__ import annotations

import json

import pytest

from dagy.domain.events import BadEventError, parse_envelope
from dagy.entrypoints.s3_notifications import as_envelope, is_s3_notification

RECORD = {"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
          "s3": {"bucket": {"name": "landing"}, "object": {"key": "a.csv", "sequencer": "01"}}}


def test_an_s3_notification_becomes_a_cross_org_flow_trigger():
    for body in (json.dumps({"Records": [RECORD]}), json.dumps({"Records": [RECORD]}).encode(),
                 {"Records": [RECORD]}):
        assert as_envelope(body) == {"dagy_event_type": "flow_trigger", "org_id": "*",
                                     "source": "s3", "Records": [RECORD]}


def test_other_bodies_pass_through_for_the_bus_to_judge():
    envelope = {"dagy_event_type": "run_execute", "org_id": "o", "run_id": "r"}
    assert as_envelope(json.dumps(envelope)) == envelope
    assert as_envelope(envelope) is envelope
    assert as_envelope("not json") == "not json"
    for data in ({"Records": []}, {"Records": [{"eventSource": "aws:sqs"}]}, {"Records": "x"},
                 {"Records": ["aws:s3"]}, [RECORD],
                 {"dagy_event_type": "flow_trigger", "org_id": "o", "Records": [RECORD]}):
        assert not is_s3_notification(data)
        assert as_envelope(data) is data
    with pytest.raises(BadEventError):
        parse_envelope(as_envelope({"Records": [{"eventSource": "aws:sqs"}]}))


def test_the_domain_no_longer_reads_s3_notifications():
    with pytest.raises(BadEventError, match="dagy_event_type"):
        parse_envelope(json.dumps({"Records": [RECORD]}))
