"""Builds each EventQueue adapter over fresh, isolated storage for the contract tests."""

from __future__ import annotations

import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest
import sqlalchemy as sa

from dagy.adapters.sql import tables
from dagy.adapters.sql.engine import make_engine

from aws_mock import start_mock_aws
from fresh_databases import postgres_schema_engine, postgres_url


@dataclass
class Harness:
    """`make(max_receives=5)` builds an adapter; for durable kinds a second call is a new
    adapter instance (a "restart") over the same storage."""
    kind: str
    make: Callable[..., Any]
    ordered: bool = True  # FIFO by send order
    durable: bool = False
    concurrent: bool = True  # exactly-once delivery to concurrent consumers is asserted
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for close in reversed(self.closers):
            close()


def create_schema(engine: sa.Engine) -> None:
    try:  # the migration helpers, once they exist; the bare metadata until then
        from dagy.adapters.sql.migrate import upgrade  # type: ignore[import-not-found]
    except ImportError:
        tables.metadata.create_all(engine)
    else:
        upgrade(engine)


def memory_harness(request: pytest.FixtureRequest) -> Harness:
    from dagy.adapters.memory.queue import InMemoryEventQueue
    return Harness("memory", lambda max_receives=5: InMemoryEventQueue(max_receives))


def sqlite_harness(request: pytest.FixtureRequest) -> Harness:
    from dagy.adapters.sql.queue import SqlEventQueue
    path = request.getfixturevalue("tmp_path") / "queue.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    return Harness("sqlite", lambda max_receives=5: SqlEventQueue(engine, "events",
                                                                  max_receives),
                   durable=True, closers=[engine.dispose])


def postgres_harness(request: pytest.FixtureRequest) -> Harness:
    from dagy.adapters.sql.queue import SqlEventQueue
    with ExitStack() as stack:
        engine = stack.enter_context(postgres_schema_engine(postgres_url()))
        create_schema(engine)
        drop = stack.pop_all().close  # the schema outlives this block: the harness drops it
    return Harness("postgres", lambda max_receives=5: SqlEventQueue(engine, "events",
                                                                    max_receives),
                   durable=True, closers=[drop])


def sqs_harness(request: pytest.FixtureRequest) -> Harness:
    import boto3

    from dagy.adapters.aws.sqs_queue import SqsEventQueue, create_queue_with_dlq
    mock = start_mock_aws(request.getfixturevalue("monkeypatch"))
    client = boto3.client("sqs", region_name="us-east-1")

    def make(max_receives: int = 5) -> SqsEventQueue:
        url, dlq = create_queue_with_dlq(client, f"events-{uuid.uuid4().hex[:12]}",
                                         max_receives)
        return SqsEventQueue(url, client=client, max_receives=max_receives, dlq_url=dlq)

    return Harness("sqs", make, ordered=False, concurrent=False, closers=[mock.stop])


BUILDERS = {"memory": memory_harness, "sqlite": sqlite_harness,
            "postgres": postgres_harness, "sqs": sqs_harness}
KINDS = [pytest.param("memory"), pytest.param("sqlite"),
         pytest.param("postgres", marks=pytest.mark.postgres), pytest.param("sqs")]
