"""AccessLogSink contract (application/ports/access_log.py) on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from contract_databases import empty_database

from dagy.adapters.memory.access_log import InMemoryAccessLogSink
from dagy.domain.access_log import AccessLogEntry

BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
T0 = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def entry(org: str | None = "org-a", at: datetime = T0, **fields) -> AccessLogEntry:
    values = dict(at=at, method="POST", route="/runs/{run_id}", path="/runs/r1", status=201,
                  latency_ms=1.25, credential_id="key-1", org_id=org, client_ip="10.0.0.1",
                  user_agent="dagy-cli/1.0", request_id="req-1")
    values.update(fields)
    return AccessLogEntry(**values)


@pytest.fixture(params=BACKENDS)
def sink(request, tmp_path):
    if request.param == "memory":
        yield InMemoryAccessLogSink()
        return
    from dagy.adapters.sql.access_log import SqlAccessLogSink
    from dagy.adapters.sql.migrate import upgrade
    with empty_database(request.param, tmp_path) as engine:
        upgrade(engine)
        yield SqlAccessLogSink(engine)


def test_a_batch_reads_back_field_for_field_newest_first(sink):
    sink.append_batch([entry(request_id="one"), entry(at=T0 + timedelta(seconds=1),
                                                      request_id="two", status=404)])
    newest, oldest = sink.list("org-a")
    assert (newest.request_id, oldest.request_id) == ("two", "one")
    assert newest.log_id > oldest.log_id
    assert oldest == entry(request_id="one", log_id=oldest.log_id)
    assert newest.at == T0 + timedelta(seconds=1) and newest.at.tzinfo is not None
    sink.append_batch([])
    assert len(sink.list("org-a")) == 2


def test_later_batches_get_higher_ids(sink):
    sink.append_batch([entry(request_id="a")])
    sink.append_batch([entry(request_id="b"), entry(request_id="c")])
    assert [e.request_id for e in sink.list("org-a")] == ["c", "b", "a"]


def test_list_is_one_orgs_and_pages_by_the_before_cursor(sink):
    sink.append_batch([entry(request_id=f"a{i}") for i in range(5)]
                      + [entry(org="org-b", request_id="b0"), entry(org=None, request_id="n")])
    first = sink.list("org-a", limit=2)
    assert [e.request_id for e in first] == ["a4", "a3"]
    second = sink.list("org-a", limit=2, before=first[-1].log_id)
    assert [e.request_id for e in second] == ["a2", "a1"]
    assert [e.request_id for e in sink.list("org-a", before=second[-1].log_id)] == ["a0"]
    assert [e.request_id for e in sink.list("org-b")] == ["b0"]
    assert sink.list("org-c") == []


def test_delete_older_than_is_bounded_and_oldest_first(sink):
    sink.append_batch([entry(at=T0 + timedelta(days=d), request_id=f"d{d}")
                       for d in (3, 0, 1, 2)])
    cutoff = T0 + timedelta(days=2, hours=1)  # d0, d1, d2 are older
    assert sink.delete_older_than(cutoff, limit=2) == 2
    assert sorted(e.request_id for e in sink.list("org-a")) == ["d2", "d3"]
    assert sink.delete_older_than(cutoff, limit=10) == 1
    assert sink.delete_older_than(cutoff, limit=10) == 0
    assert [e.request_id for e in sink.list("org-a")] == ["d3"]
    assert sink.delete_older_than(T0 + timedelta(days=10), limit=0) == 0


def test_entries_without_an_org_are_kept_and_deleted_by_age(sink):
    sink.append_batch([entry(org=None, credential_id="anonymous", status=401)])
    assert sink.delete_older_than(T0 + timedelta(seconds=1), limit=10) == 1
