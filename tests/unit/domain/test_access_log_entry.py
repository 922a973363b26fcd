"""Access-log entries are bounded to their columns, and retention's cutoff."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dagy.domain.access_log import (MAX_PATH, MAX_USER_AGENT, clip, entry_from_record,
                                    retention_cutoff)


def record(**overrides):
    values = dict(epoch=1_700_000_000.5, method="GET", route="/runs/{run_id}",
                  path="/runs/r1", status=200, latency=1.23456, credential="key-1",
                  org="org-a", ip="127.0.0.1", agent="curl/8", request_id="rid")
    values.update(overrides)
    return tuple(values.values())


def test_an_entry_keeps_every_field_with_a_utc_time():
    entry = entry_from_record(record())
    assert entry.at == datetime.fromtimestamp(1_700_000_000.5, timezone.utc)
    assert (entry.method, entry.route, entry.path, entry.status, entry.latency_ms) == (
        "GET", "/runs/{run_id}", "/runs/r1", 200, 1.235)
    assert (entry.credential_id, entry.org_id, entry.client_ip, entry.user_agent,
            entry.request_id, entry.log_id) == ("key-1", "org-a", "127.0.0.1", "curl/8",
                                                "rid", None)


def test_long_texts_are_truncated_and_nuls_replaced():
    entry = entry_from_record(record(path="/x\x00" + "a" * 5000, agent="b" * 1000, org=None))
    assert len(entry.path) == MAX_PATH and "\x00" not in entry.path
    assert entry.path.startswith("/x\ufffd")
    assert entry.user_agent == "b" * MAX_USER_AGENT
    assert entry.org_id is None
    assert clip(404, 2) == "40"


def test_retention_cutoff_is_days_before_now_and_none_for_zero():
    now = datetime(2026, 12, 4, tzinfo=timezone.utc)
    assert retention_cutoff(now, 30) == now - timedelta(days=30)
    assert retention_cutoff(now, 0) is None
    with pytest.raises(ValueError):
        retention_cutoff(now, -1)
