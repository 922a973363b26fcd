"""The composition root: settings in, a wired `Deps` out. The only place adapters meet.

Embedded default: SQLite + SQL queue + local artifact directory + SQL logs. On AWS the
same use cases run with PostgreSQL, SQS and S3, chosen by settings alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dagy.application.deps import Deps
from dagy.domain.errors import ConfigurationError
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.state_dir import KEY_FILE, private_home, read_or_create_private


@dataclass
class Container:
    settings: DagySettings
    deps: Deps
    database: Any

    def close(self) -> None:
        self.database.engine.dispose()


def build_container(settings: DagySettings | None = None, *, migrate: bool = True) -> Container:
    from dagy.adapters.compute.artifact_loader import ArtifactFlowLoader
    from dagy.adapters.compute.threads import ThreadPoolTaskRunner
    from dagy.adapters.sql.uow import SqlDatabase

    settings = settings or DagySettings()
    private_home(settings.home)
    cipher = _secret_cipher(settings)  # before anything changes: a bad key stops here
    # the SQL queue shares the database: events are enqueued in their own transaction
    database = SqlDatabase(settings.resolved_database_url(),
                           direct_queue="events" if settings.queue == "sql" else None)
    if migrate:
        database.upgrade()
    artifacts = _artifact_store(settings)
    limits = artifact_limits(settings)
    deps = Deps(
        uow=database.unit_of_work,
        queue=_queue(settings, database),
        artifacts=artifacts,
        logs=_log_sink(settings, database),
        flow_loader=ArtifactFlowLoader(artifacts, settings.home / "cache" / "artifacts",
                                       limits=limits),
        task_runner_factory=lambda: ThreadPoolTaskRunner(settings.max_workers),
        lease_seconds=settings.lease_seconds,
        lost_lease_policy=settings.lost_lease_policy,
        max_workers=settings.max_workers,
        poll_probe=_poll_probe(),
        secret_cipher=cipher,
        artifact_limits=limits,
    )
    if migrate:  # what the migrations could not do without the server key
        from dagy.adapters.sql.wal import checkpoint
        from dagy.application.use_cases.sensors import seal_plaintext_secrets
        seal_plaintext_secrets(deps)
        checkpoint(database.engine)  # no converted plaintext stays behind in the WAL
    return Container(settings, deps, database)


def _secret_cipher(settings: DagySettings) -> Any:
    """DAGY_SECRET_KEY, else (SQLite only) the key kept in $DAGY_HOME/secret.key, made
    on first start: a shared database needs one key on every process that uses it."""
    from dagy.adapters.crypto.aes_gcm import AesGcmSecretCipher, generate_key_text
    if settings.secret_key is not None:
        return AesGcmSecretCipher.from_text(settings.secret_key.get_secret_value())
    if not settings.resolved_database_url().startswith("sqlite"):
        raise ConfigurationError("DAGY_SECRET_KEY is required with DAGY_DATABASE_URL="
                                 "postgresql://...: every process sharing the database must "
                                 "encrypt with the same key")
    path = settings.home / KEY_FILE
    try:
        return AesGcmSecretCipher.from_text(read_or_create_private(path, generate_key_text))
    except ConfigurationError as exc:
        raise ConfigurationError(f"{path}: {exc}") from None


def artifact_limits(settings: DagySettings) -> Any:
    from dagy.domain.artifact_limits import ArtifactLimits
    return ArtifactLimits(settings.artifact_max_uncompressed_bytes, settings.artifact_max_files,
                          settings.artifact_max_ratio)


def _poll_probe() -> Any:
    from dagy.adapters.aws.s3_probe import S3PollProbe
    from dagy.adapters.local.http_probe import HttpPollProbe
    from dagy.application.use_cases.sensor_triggers import probe_by_kind
    return probe_by_kind({"http": HttpPollProbe(), "s3": S3PollProbe()})


def _queue(settings: DagySettings, database: Any) -> Any:
    if settings.queue == "sqs":
        from dagy.adapters.aws.sqs_queue import SqsEventQueue
        if not settings.sqs_queue_url:
            raise ValueError("DAGY_QUEUE=sqs needs DAGY_SQS_QUEUE_URL")
        return SqsEventQueue(settings.sqs_queue_url, dlq_url=settings.sqs_dlq_url,
                             max_receives=settings.max_receives)
    if settings.queue == "memory":
        from dagy.adapters.memory.queue import InMemoryEventQueue
        return InMemoryEventQueue(max_receives=settings.max_receives)
    from dagy.adapters.sql.queue import SqlEventQueue
    return SqlEventQueue(database.engine, max_receives=settings.max_receives)


def _artifact_store(settings: DagySettings) -> Any:
    if settings.artifact_bucket:
        from dagy.adapters.aws.s3_artifacts import S3ArtifactStore
        return S3ArtifactStore(settings.artifact_bucket)
    from dagy.adapters.local.artifacts import LocalArtifactStore
    return LocalArtifactStore(settings.home / "artifacts")


def _log_sink(settings: DagySettings, database: Any) -> Any:
    if settings.log_sink == "file":
        from dagy.adapters.local.logs import FileLogSink
        return FileLogSink(settings.home / "logs")
    from dagy.adapters.sql.logs import SqlLogSink
    return SqlLogSink(database.engine)
