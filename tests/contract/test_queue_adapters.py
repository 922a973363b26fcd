"""What each EventQueue adapter adds to the contract: SQS request shapes, client-side
dead-lettering and error translation; SQL isolation, clocks and error translation;
the in-memory queue's clock and long poll."""

from __future__ import annotations

import json
import threading
import time

import boto3
import pytest
import sqlalchemy as sa
from botocore.config import Config

from dagy.adapters.aws.sqs_queue import QueueUnavailableError as SqsUnavailable
from dagy.adapters.aws.sqs_queue import SqsEventQueue, create_queue_with_dlq
from dagy.adapters.memory.queue import InMemoryEventQueue
from dagy.adapters.sql.queue import QueueUnavailableError as SqlUnavailable
from dagy.adapters.sql.engine import make_engine
from dagy.adapters.sql.queue import SqlEventQueue
from dagy.domain.errors import DagyError
from aws_mock import start_mock_aws
from queue_harness import create_schema


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def aws(monkeypatch):
    mock = start_mock_aws(monkeypatch)
    try:
        yield boto3.client("sqs", region_name="us-east-1")
    finally:
        mock.stop()


@pytest.fixture
def sqlite_engine(tmp_path):
    """A plain engine (pysqlite's own transaction handling), unlike the contract suite's."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'queue.db'}")
    create_schema(engine)
    yield engine
    engine.dispose()


# -- SQS ---------------------------------------------------------------------------------

def test_sqs_dead_letters_client_side_when_the_redrive_allows_more(aws):
    url, dlq = create_queue_with_dlq(aws, "lenient", max_receives=10)
    queue = SqsEventQueue(url, client=aws, max_receives=2, dlq_url=dlq)
    queue.send(["poison"])
    for attempt in (1, 2):
        [message] = queue.receive(visibility_timeout=0)
        assert message.receive_count == attempt
    assert queue.receive(visibility_timeout=0) == []
    assert queue.dead_letters() == ["poison"]
    assert queue.receive(visibility_timeout=0) == []  # deleted from the source queue


def test_sqs_redrive_policy_moves_messages_server_side(aws):
    url, dlq = create_queue_with_dlq(aws, "strict", max_receives=1)
    policy = aws.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
    assert json.loads(policy["Attributes"]["RedrivePolicy"])["maxReceiveCount"] in (1, "1")
    queue = SqsEventQueue(url, client=aws, max_receives=5)  # no dlq_url: discovered
    queue.send(["poison"])
    assert len(queue.receive(visibility_timeout=0)) == 1
    assert queue.receive(visibility_timeout=0) == []  # moved by the emulated redrive
    assert queue.dead_letters() == ["poison"]


def test_sqs_dead_letters_lists_more_than_one_batch_without_consuming(aws):
    url, dlq = create_queue_with_dlq(aws, "many", max_receives=1)
    aws.send_message_batch(QueueUrl=dlq, Entries=[
        {"Id": str(i), "MessageBody": f"d{i}"} for i in range(10)])
    aws.send_message_batch(QueueUrl=dlq, Entries=[
        {"Id": str(i), "MessageBody": f"d{i}"} for i in range(10, 15)])
    queue = SqsEventQueue(url, client=aws, dlq_url=dlq)
    assert sorted(queue.dead_letters()) == sorted(f"d{i}" for i in range(15))
    assert sorted(queue.dead_letters()) == sorted(f"d{i}" for i in range(15))


def test_sqs_queue_without_a_dlq_returns_messages_however_often_received(aws):
    url = aws.create_queue(QueueName="plain")["QueueUrl"]
    queue = SqsEventQueue(url, client=aws, max_receives=1)
    queue.send(["a"])
    assert len(queue.receive(visibility_timeout=0)) == 1
    assert [m.receive_count for m in queue.receive(visibility_timeout=0)] == [2]
    assert queue.dead_letters() == []


def test_sqs_client_is_created_lazily(aws):
    url = aws.create_queue(QueueName="lazy")["QueueUrl"]
    queue = SqsEventQueue(url)
    queue.send(["a"])
    assert [m.body for m in queue.receive()] == ["a"]


class RecordingClient:
    def __init__(self, failed=()):
        self.calls, self.failed = [], list(failed)

    def send_message_batch(self, **kwargs):
        self.calls.append(("send_message_batch", kwargs))
        return {"Successful": [], "Failed": self.failed}

    def receive_message(self, **kwargs):
        self.calls.append(("receive_message", kwargs))
        return {}


def test_sqs_request_shapes():
    client = RecordingClient()
    queue = SqsEventQueue("https://sqs.example/q", client=client)
    queue.send([f"m{i}" for i in range(25)])
    assert [len(kw["Entries"]) for _, kw in client.calls] == [10, 10, 5]
    assert queue.receive(max_messages=50, visibility_timeout=0.2, wait_seconds=90) == []
    _, kwargs = client.calls[-1]
    assert (kwargs["MaxNumberOfMessages"], kwargs["VisibilityTimeout"],
            kwargs["WaitTimeSeconds"]) == (10, 1, 20)
    assert kwargs["MessageSystemAttributeNames"] == ["ApproximateReceiveCount"]


def test_sqs_failed_batch_entries_raise():
    client = RecordingClient(failed=[{"Id": "0", "Code": "InternalError",
                                      "SenderFault": False}])
    with pytest.raises(SqsUnavailable, match="InternalError"):
        SqsEventQueue("https://sqs.example/q", client=client).send(["a"])


def test_sqs_missing_queue_is_unavailable(aws):
    queue = SqsEventQueue("https://sqs.us-east-1.amazonaws.com/123456789012/nope",
                          client=aws)
    with pytest.raises(SqsUnavailable) as caught:
        queue.receive()
    assert isinstance(caught.value, DagyError)


def test_sqs_unreachable_endpoint_is_unavailable(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("sqs", region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
                          config=Config(retries={"max_attempts": 0}, connect_timeout=1))
    queue = SqsEventQueue("http://127.0.0.1:9/123456789012/q", client=client)
    for operation in (lambda: queue.send(["a"]), queue.receive,
                      lambda: queue.ack("r"), lambda: queue.release("r")):
        with pytest.raises(SqsUnavailable):
            operation()


# -- SQL ---------------------------------------------------------------------------------

def test_sql_visibility_follows_the_injected_clock(sqlite_engine):
    clock = Clock()
    queue = SqlEventQueue(sqlite_engine, clock=clock)
    queue.send(["a"])
    [first] = queue.receive(visibility_timeout=60)
    clock.now += 59.9
    assert queue.receive() == []
    clock.now += 0.2
    [again] = queue.receive()
    assert (again.message_id, again.receive_count) == (first.message_id, 2)


def test_sql_queues_sharing_a_table_are_isolated(sqlite_engine):
    jobs = SqlEventQueue(sqlite_engine, "jobs", max_receives=1)
    events = SqlEventQueue(sqlite_engine, "events")
    jobs.send(["job"])
    events.send(["event"])
    assert [m.body for m in events.receive(visibility_timeout=0)] == ["event"]
    [job] = jobs.receive(visibility_timeout=0)
    events.ack(job.receipt)  # another queue's receipt does nothing here
    assert jobs.receive() == []  # second receive: dead-lettered into "jobs-dlq"
    assert jobs.dead_letters() == ["job"] and events.dead_letters() == []
    assert jobs.pending_count() == 0 and events.pending_count() == 1


def test_sql_large_batch_is_sent_atomically(sqlite_engine):
    queue = SqlEventQueue(sqlite_engine)
    queue.send([f"m{i}" for i in range(250)])
    assert queue.pending_count() == 250
    got = queue.receive(max_messages=250, visibility_timeout=30)
    assert [m.body for m in got] == [f"m{i}" for i in range(250)]


def consume_all(queues, total, seconds=30):
    """Each queue is drained by its own thread, acking at once; returns what arrived."""
    delivered, errors, lock = [], [], threading.Lock()
    deadline = time.monotonic() + seconds

    def consume(queue):
        try:
            while time.monotonic() < deadline and len(delivered) < total:
                for message in queue.receive(max_messages=3, visibility_timeout=60):
                    queue.ack(message.receipt)
                    with lock:
                        delivered.append(message.body)
        except Exception as exc:  # surfaced by the caller
            errors.append(exc)

    threads = [threading.Thread(target=consume, args=(q,)) for q in queues]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 10)
    assert errors == []
    return delivered


@pytest.mark.parametrize("url", ["plain-file", "sqlite:///:memory:"])
def test_sql_concurrent_consumers_on_other_engines(url, sqlite_engine):
    """A plain file engine, and make_engine's single shared in-memory connection."""
    engine = sqlite_engine if url == "plain-file" else make_engine(url)
    create_schema(engine)
    bodies = [f"m{i}" for i in range(120)]
    SqlEventQueue(engine).send(bodies)
    try:
        delivered = consume_all([SqlEventQueue(engine) for _ in range(4)], len(bodies))
    finally:
        if engine is not sqlite_engine:
            engine.dispose()
    assert sorted(delivered) == sorted(bodies)


def test_sql_database_errors_become_queue_unavailable(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # no tables
    queue = SqlEventQueue(engine)
    for operation in (lambda: queue.send(["a"]), queue.receive, queue.dead_letters,
                      lambda: queue.ack("m:r"), lambda: queue.release("m:r")):
        with pytest.raises(SqlUnavailable, match="queue_messages") as caught:
            operation()
        assert isinstance(caught.value, DagyError)
    engine.dispose()


# -- in-memory ---------------------------------------------------------------------------

def test_memory_visibility_follows_the_injected_clock():
    clock = Clock()
    queue = InMemoryEventQueue(clock=clock)
    queue.send(["a"])
    queue.receive(visibility_timeout=10)
    clock.now += 9
    assert queue.receive() == []
    clock.now += 1
    assert [m.receive_count for m in queue.receive()] == [2]


def test_memory_long_poll_wakes_when_a_held_message_times_out():
    queue = InMemoryEventQueue()
    queue.send(["a"])
    queue.receive(visibility_timeout=0.2)
    started = time.monotonic()
    [again] = queue.receive(wait_seconds=5)
    assert again.receive_count == 2 and time.monotonic() - started < 2


def test_memory_long_poll_wakes_on_release():
    queue = InMemoryEventQueue()
    queue.send(["a"])
    [held] = queue.receive(visibility_timeout=60)
    threading.Timer(0.1, queue.release, args=[held.receipt]).start()
    started = time.monotonic()
    assert len(queue.receive(wait_seconds=5)) == 1
    assert time.monotonic() - started < 2


def test_sending_a_bare_string_is_refused(sqlite_engine):
    for queue in (InMemoryEventQueue(), SqlEventQueue(sqlite_engine),
                  SqsEventQueue("https://sqs.example/q", client=RecordingClient())):
        with pytest.raises(TypeError):
            queue.send("abc")



@pytest.mark.postgres
def test_postgres_wait_for_work_wakes_on_another_engines_send():
    """A send through a different engine (as from another process, which shares no
    in-process signal) wakes the waiter through LISTEN/NOTIFY."""
    from fresh_databases import fresh_postgres_schema, postgres_url, search_path_url

    with fresh_postgres_schema(postgres_url()) as schema:
        url = search_path_url(postgres_url(), schema)
        engine, other = make_engine(url), make_engine(url)
        try:
            create_schema(engine)
            waiter, sender = SqlEventQueue(engine, "events"), SqlEventQueue(other, "events")
            waiter.wait_for_work(1.0)  # starts the listener (it wakes once when connected)
            assert waiter.receive(visibility_timeout=30) == []
            threading.Timer(0.3, lambda: sender.send(["remote"])).start()
            started, got = time.monotonic(), []
            while not got and time.monotonic() - started < 3:  # NOTIFY is database-wide:
                waiter.wait_for_work(10)  # other tests' sends may wake it spuriously
                got = waiter.receive(visibility_timeout=30)
            assert [m.body for m in got] == ["remote"]
            assert time.monotonic() - started < 3  # woken, not the 10 s timeout
        finally:
            engine.dispose()
            other.dispose()
