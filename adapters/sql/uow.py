"""The SQL unit of work: one connection and transaction shared by every repository."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from dagy.adapters.sequence import SequenceGenerator
from dagy.adapters.sql.engine import make_engine, serial_lock
from dagy.adapters.sql.repositories import (SqlApiKeyRepository, SqlDeploymentRepository,
                                            SqlFlowRepository, SqlMembershipRepository,
                                            SqlOrgRepository, SqlOutboxRepository,
                                            SqlRunRepository, SqlTaskRunRepository,
                                            SqlUserRepository)
from dagy.adapters.sql.queue_outbox import SqlQueueOutbox
from dagy.adapters.sql.repos_audit import SqlAuditLogRepository
from dagy.adapters.sql.repos_environments import SqlEnvironmentRepository
from dagy.adapters.sql.repos_invitations import SqlInvitationRepository
from dagy.adapters.sql.repos_secrets import SqlSecretRepository
from dagy.adapters.sql.queue_signal import signal_for
from dagy.adapters.sql.repos_schedules import SqlScheduleRepository, SqlSensorRepository
from dagy.adapters.sql.repos_tokens import SqlAccessTokenRepository
from dagy.adapters.sql.rows import translated


class SqlUnitOfWork:
    """`with uow: ...; uow.commit()`. The transaction begins with the first statement
    (BEGIN IMMEDIATE on SQLite) and a new one begins after each commit; leaving the block
    rolls back whatever was not committed and returns the connection to the pool.

    `sequence` numbers new rows in creation order: SqlDatabase passes its own, so every
    unit of work on one database shares it; a unit of work made without one gets a fresh
    generator, ordered against the others by the wall clock only."""

    def __init__(self, engine: Engine, direct_queue: str | None = None,
                 sequence: SequenceGenerator | None = None) -> None:
        self._engine = engine
        self._direct_queue = direct_queue
        self._sequence = sequence or SequenceGenerator()
        self._lock = serial_lock(engine)
        self._conn: Connection | None = None

    def __enter__(self) -> "SqlUnitOfWork":
        if self._lock is not None:
            self._lock.acquire()
        try:
            with translated("connect"):
                conn = self._conn = self._engine.connect()
        except BaseException:
            self._release()
            raise
        self.orgs, self.users = SqlOrgRepository(conn), SqlUserRepository(conn)
        seq = self._sequence
        self.memberships = SqlMembershipRepository(conn, seq)
        self.api_keys, self.flows = SqlApiKeyRepository(conn, seq), SqlFlowRepository(conn, seq)
        self.deployments = SqlDeploymentRepository(conn)
        self.environments = SqlEnvironmentRepository(conn, seq)
        self.secrets = SqlSecretRepository(conn, seq)
        self.runs, self.task_runs = SqlRunRepository(conn), SqlTaskRunRepository(conn, seq)
        self.outbox = (SqlQueueOutbox(conn, self._direct_queue, seq) if self._direct_queue
                       else SqlOutboxRepository(conn, seq))
        self.schedules, self.sensors = SqlScheduleRepository(conn), SqlSensorRepository(conn)
        self.access_tokens = SqlAccessTokenRepository(conn)
        self.invitations = SqlInvitationRepository(conn, seq)
        self.audit_logs = SqlAuditLogRepository(conn)
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        conn, self._conn = self._conn, None
        try:
            if conn is not None:
                try:
                    with translated("rollback"):
                        conn.rollback()
                finally:
                    with translated("close"):
                        conn.close()
        except Exception:
            if exc_type is None:  # do not hide the error that is already leaving the block
                raise
        finally:
            self._release()

    def commit(self) -> None:
        with translated("commit"):
            self._active().commit()
        if getattr(self.outbox, "enqueued", False):  # wake this process's waiting consumers
            self.outbox.enqueued = False
            signal_for(self._engine).notify()

    def rollback(self) -> None:
        with translated("rollback"):
            self._active().rollback()
        if getattr(self.outbox, "enqueued", False):
            self.outbox.enqueued = False  # the rows (and any NOTIFY) went with the transaction

    def _active(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not active: use `with uow:`")
        return self._conn

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()


class SqlDatabase:
    """One database: its engine, the generator numbering its rows in creation order, a
    unit-of-work factory and the schema migration."""

    def __init__(self, url: str, direct_queue: str | None = None, **engine_kwargs: Any) -> None:
        """`direct_queue`: name of a SqlEventQueue in this database; events are then
        enqueued inside the transaction that produced them instead of via the outbox."""
        self.url = url
        self.direct_queue = direct_queue
        self.engine = make_engine(url, **engine_kwargs)
        self.sequence = SequenceGenerator()

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.direct_queue, self.sequence)

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (safe at every start)."""
        from dagy.adapters.sql.migrate import upgrade
        upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
