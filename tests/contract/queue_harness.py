"""Builds each EventQueue adapter over fresh, isolated storage for the contract tests."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest
import sqlalchemy as sa

from dagy.adapters.sql import tables
from dagy.adapters.sql.engine import make_engine

POSTGRES_URL_ENV = "DAGY_TEST_POSTGRES_URL"


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
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set (e.g. "
                    f"postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    schema = f"q_{uuid.uuid4().hex}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})

    def drop() -> None:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    harness = Harness("postgres", lambda max_receives=5: SqlEventQueue(engine, "events",
                                                                       max_receives),
                      durable=True, closers=[drop])
    create_schema(engine)
    return harness


def sqs_harness(request: pytest.FixtureRequest) -> Harness:
    import boto3
    from moto import mock_aws

    from dagy.adapters.aws.sqs_queue import SqsEventQueue, create_queue_with_dlq
    monkeypatch = request.getfixturevalue("monkeypatch")
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SECURITY_TOKEN": "testing", "AWS_SESSION_TOKEN": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    mock = mock_aws()
    mock.start()
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
