"""Contract of the LogSink port, run against every implementation.

PostgreSQL runs only with DAGY_TEST_POSTGRES_URL set, each test in its own schema.
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dagy.adapters.local.logs import FileLogSink, LogSinkError
from dagy.adapters.memory.logs import InMemoryLogSink
from dagy.adapters.sql import tables
from dagy.adapters.sql.logs import SqlLogSink
from dagy.application.ports.storage import LogLine, log_group, log_stream
from dagy.domain.errors import DagyError
from fresh_databases import postgres_schema_engine, postgres_url

try:
    from dagy.adapters.sql.engine import make_engine
except ImportError:  # pragma: no cover - until the engine module lands
    make_engine = sa.create_engine

ORG, OTHER_ORG = "org_a", "org_b"
GROUP = log_group("etl_flow")
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'logs.db'}")
    tables.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine():
    with postgres_schema_engine(postgres_url()) as engine:
        tables.metadata.create_all(engine)
        yield engine


@pytest.fixture(params=["memory", "file", "sqlite",
                        pytest.param("postgres", marks=pytest.mark.postgres)])
def sink(request, tmp_path):
    if request.param == "memory":
        return InMemoryLogSink()
    if request.param == "file":
        return FileLogSink(tmp_path / "logs")
    return SqlLogSink(request.getfixturevalue(f"{request.param}_engine"))


def new_run() -> str:
    return f"run_{uuid.uuid4().hex[:12]}"


def lines(count: int, prefix: str = "line") -> list[LogLine]:
    return [LogLine(timestamp=T0 + timedelta(milliseconds=i), message=f"{prefix} {i}",
                    level="INFO" if i % 3 else "ERROR",
                    task_run_id=f"tr_{i}" if i % 2 else None) for i in range(count)]


def write(sink, run_id: str, batch: list[LogLine], org: str = ORG) -> None:
    sink.write(org, GROUP, log_stream("quiet-otter", "v1", run_id), run_id, batch)


def read_all(sink, run_id: str, limit: int, org: str = ORG) -> list[LogLine]:
    out, cursor = [], None
    for _ in range(10_000):
        page, cursor = sink.read(org, run_id, limit=limit, cursor=cursor)
        assert len(page) <= limit
        out.extend(page)
        if len(page) < limit:
            return out
    raise AssertionError("pagination never caught up")


def test_lines_come_back_in_write_order_with_every_field(sink):
    run, first, second = new_run(), lines(3, "first"), lines(2, "second")
    write(sink, run, first)
    write(sink, run, second)
    assert sink.read(ORG, run)[0] == first + second


def test_timestamps_come_back_aware_in_utc(sink):
    run = new_run()
    paris = timezone(timedelta(hours=2))
    write(sink, run, [LogLine(datetime(2024, 5, 1, 14, 30, 0, 123456, tzinfo=paris), "aware"),
                      LogLine(datetime(2024, 5, 1, 12, 31), "naive is UTC")])
    page, _ = sink.read(ORG, run)
    assert [line.timestamp.utcoffset() for line in page] == [timedelta(0)] * 2
    assert page[0].timestamp == datetime(2024, 5, 1, 12, 30, 0, 123456, tzinfo=timezone.utc)
    assert page[1].timestamp == datetime(2024, 5, 1, 12, 31, tzinfo=timezone.utc)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.integers(0, 12), max_size=5), limit=st.integers(1, 15))
def test_paging_with_the_cursor_yields_every_line_exactly_once(sink, batches, limit):
    run, written = new_run(), []
    for number, size in enumerate(batches):
        batch = lines(size, f"b{number}")
        write(sink, run, batch)
        written.extend(batch)
    assert read_all(sink, run, limit) == written


def test_the_last_cursor_resumes_after_more_lines_are_written(sink):
    assert sink.read(ORG, run := new_run(), limit=10) == ([], None)
    write(sink, run, lines(3, "early"))
    page, cursor = sink.read(ORG, run, limit=10)
    assert len(page) == 3
    assert sink.read(ORG, run, limit=10, cursor=cursor) == ([], cursor)
    write(sink, run, lines(2, "late"))
    page, _ = sink.read(ORG, run, limit=10, cursor=cursor)
    assert [line.message for line in page] == ["late 0", "late 1"]


def test_another_orgs_run_reads_empty(sink):
    run = new_run()
    write(sink, run, lines(4))
    assert sink.read(OTHER_ORG, run) == ([], None)
    write(sink, run, lines(1, "theirs"), org=OTHER_ORG)
    assert [line.message for line in sink.read(OTHER_ORG, run)[0]] == ["theirs 0"]
    assert len(sink.read(ORG, run)[0]) == 4


def test_runs_are_isolated(sink):
    run_a, run_b = new_run(), new_run()
    write(sink, run_a, lines(2, "a"))
    write(sink, run_b, lines(3, "b"))
    write(sink, run_a, lines(1, "a2"))
    assert [line.message for line in sink.read(ORG, run_a)[0]] == ["a 0", "a 1", "a2 0"]
    assert [line.message for line in sink.read(ORG, run_b)[0]] == ["b 0", "b 1", "b 2"]
    assert sink.read(ORG, new_run()) == ([], None)


def test_writing_no_lines_is_a_no_op(sink):
    write(sink, run := new_run(), [])
    assert sink.read(ORG, run) == ([], None)


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.5", "", " 1", "99999999999999999999"])
def test_a_cursor_the_sink_never_returned_is_rejected(sink, cursor):
    with pytest.raises(LogSinkError):
        sink.read(ORG, new_run(), cursor=cursor)


@pytest.mark.parametrize("limit", [0, -5])
def test_a_non_positive_limit_is_rejected(sink, limit):
    with pytest.raises(LogSinkError):
        sink.read(ORG, new_run(), limit=limit)


def test_group_and_stream_helpers():
    assert (log_group("etl_flow"), log_stream("otter", "v3", "r1")) == ("/dagy/etl_flow",
                                                                       "otter/v3/r1")
    assert issubclass(LogSinkError, DagyError)


def test_concurrent_writers_lose_nothing(sink):
    run, threads_count, per_thread, batch = new_run(), 4, 100, 5
    errors: list[BaseException] = []
    start = threading.Barrier(threads_count)

    def writer(worker: int) -> None:
        try:
            start.wait()
            for first in range(0, per_thread, batch):
                write(sink, run, [LogLine(T0, f"w{worker} {i}")
                                  for i in range(first, first + batch)])
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads_count)]
    [thread.start() for thread in workers]
    [thread.join() for thread in workers]
    assert errors == []
    messages = [line.message for line in read_all(sink, run, limit=77)]
    assert sorted(messages) == sorted(f"w{w} {i}" for w in range(threads_count)
                                      for i in range(per_thread))
    for worker in range(threads_count):  # each writer's lines keep their order
        own = [m for m in messages if m.startswith(f"w{worker} ")]
        assert own == [f"w{worker} {i}" for i in range(per_thread)]


# -- implementation specifics ----------------------------------------------------------


def test_file_sink_records_group_and_stream_per_line(tmp_path):
    sink, run = FileLogSink(tmp_path / "logs"), new_run()
    sink.write(ORG, GROUP, "quiet-otter/v1/" + run, run, lines(2))
    stored = (tmp_path / "logs" / ORG / f"{run}.jsonl").read_text().splitlines()
    assert [(json.loads(s)["group"], json.loads(s)["stream"]) for s in stored] == \
        [(GROUP, f"quiet-otter/v1/{run}")] * 2


def test_file_sink_skips_a_partly_written_last_line(tmp_path):
    sink, run = FileLogSink(tmp_path / "logs"), new_run()
    write(sink, run, lines(2))
    with open(tmp_path / "logs" / ORG / f"{run}.jsonl", "a") as fh:
        fh.write('{"timestamp": "2024-05-01T12:00:00+00:00", "mess')
    page, cursor = sink.read(ORG, run)
    assert len(page) == 2 and cursor == "2"


@pytest.mark.parametrize("org, run", [("../x", "run"), ("org", "../../etc"), ("org", "a/b"),
                                      ("", "run"), ("org", ".hidden")])
def test_file_sink_refuses_names_that_leave_its_root(tmp_path, org, run):
    with pytest.raises(LogSinkError):
        FileLogSink(tmp_path / "logs").write(org, GROUP, "s", run, lines(1))


def test_memory_sink_remembers_group_and_stream():
    sink, run = InMemoryLogSink(), new_run()
    write(sink, run, lines(2))
    assert sink.streams(ORG, run) == [(GROUP, log_stream("quiet-otter", "v1", run))]


def test_sql_sink_wraps_database_errors(tmp_path):
    sink = SqlLogSink(engine := make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))  # no table
    with pytest.raises(LogSinkError, match="log_lines"):
        write(sink, new_run(), lines(1))
    with pytest.raises(LogSinkError, match="log_lines"):
        sink.read(ORG, new_run())
    engine.dispose()
