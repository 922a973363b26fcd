"""The composition root's access log: the server profile writes to access_logs in the
database, with DAGY_ACCESS_LOG_RETENTION_DAYS enforced by the writer, and closing the
container writes what is buffered."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from dagy.adapters.sql.access_log import SqlAccessLogSink
from dagy.domain.access_log import entry_from_record
from dagy.entrypoints.container import build_container
from dagy.entrypoints.settings import DagySettings


def record(request_id: str, epoch: float) -> tuple:
    return (epoch, "GET", "/runs", "/runs", 200, 1.0, "key-1", "org-a", "127.0.0.1", "ua",
            request_id)


def test_the_server_profile_writes_the_database_and_enforces_retention(tmp_path):
    settings = DagySettings(home=tmp_path / "home", access_log_retention_days=7)
    container = build_container(settings)
    try:
        sink, writer = container.deps.access_log, container.access_log
        assert isinstance(sink, SqlAccessLogSink) and writer.retention_days == 7
        old = (datetime.now(timezone.utc) - timedelta(days=8)).timestamp()
        sink.append_batch([entry_from_record(record("old", old))])
        writer.autostart = False
        writer.record(record("new", time.time()))
        writer.flush()  # the first flush also enforces retention
        assert [e.request_id for e in sink.list("org-a")] == ["new"]
        writer.record(record("at-close", time.time()))
    finally:
        container.close()  # stops the writer: what is buffered is written first
    reopened = build_container(settings)
    try:
        assert [e.request_id for e in reopened.deps.access_log.list("org-a")] == [
            "at-close", "new"]
    finally:
        reopened.close()


def test_zero_days_keeps_everything(tmp_path):
    container = build_container(DagySettings(home=tmp_path / "home",
                                             access_log_retention_days=0))
    try:
        sink, writer = container.deps.access_log, container.access_log
        ancient = (datetime.now(timezone.utc) - timedelta(days=3650)).timestamp()
        sink.append_batch([entry_from_record(record("ancient", ancient))])
        assert writer.enforce_retention() == 0
        assert [e.request_id for e in sink.list("org-a")] == ["ancient"]
    finally:
        container.close()
