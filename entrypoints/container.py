"""The composition root: settings in, a wired `Deps` out. The only place adapters meet.

Embedded default: SQLite + SQL queue + local artifact directory + SQL logs. On AWS the
same use cases run with PostgreSQL, SQS and S3, chosen by settings alone. Which adapter
backs which port is decided in entrypoints/wiring.py (`build_deps`); the Container owns
what lives as long as the process: the database engine and the run admission writer.

Schema migrations are a deploy step (`dagy db upgrade`, `upgrade_database`) and the
first step of `dagy server`; Lambda handlers build with `migrate=False`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dagy.application.deps import Deps
from dagy.application.access_log_writer import AccessLogWriter
from dagy.application.use_cases.admission import RunAdmission
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.state_dir import private_home
from dagy.entrypoints.wiring import artifact_limits, build_deps, secret_cipher

__all__ = ["Container", "UpgradeReport", "artifact_limits", "build_container", "build_deps",
           "upgrade_database"]


@dataclass
class Container:
    settings: DagySettings
    deps: Deps
    database: Any
    admission: RunAdmission
    access_log: AccessLogWriter | None = None  # its thread starts at the first request

    def close(self) -> None:
        """Stop the admission writer (pending triggers are written first) and the access
        log's (its buffer is written first), then the engine."""
        self.admission.stop()
        if self.access_log is not None:
            self.access_log.stop()
        self.database.engine.dispose()


@dataclass(frozen=True)
class UpgradeReport:
    """What `upgrade_database` did: the schema revision before and after, and how many
    plaintext webhook secrets it sealed under the server key."""

    before: str | None
    after: str | None
    sealed: int

    @property
    def changed(self) -> bool:
        return self.before != self.after or self.sealed > 0


def build_container(settings: DagySettings | None = None, *, migrate: bool = True) -> Container:
    """Wire the server profile. `migrate=True` runs `upgrade_database` first (what
    `dagy server` does on start); Lambda handlers pass False (the deploy step migrates)."""
    from dagy.adapters.sql.uow import SqlDatabase

    settings = settings or DagySettings()
    private_home(settings.home)
    cipher = secret_cipher(settings)  # before anything changes: a bad key stops here
    # the SQL queue shares the database: events are enqueued in their own transaction
    database = SqlDatabase(settings.resolved_database_url(),
                           direct_queue="events" if settings.queue == "sql" else None)
    deps = build_deps(settings, profile="server", database=database, secret_cipher=cipher)
    container = Container(settings, deps, database, RunAdmission(deps),
                          access_log_writer(deps, settings))
    if migrate:
        try:
            upgrade_database(container)
        except BaseException:
            container.close()
            raise
    return container


def access_log_writer(deps: Deps, settings: DagySettings, *,
                      autostart: bool = True) -> AccessLogWriter | None:
    """The process's access-log writer over deps.access_log (None: no log is kept)."""
    if deps.access_log is None:
        return None
    return AccessLogWriter(deps.access_log, retention_days=settings.access_log_retention_days,
                           autostart=autostart)


def upgrade_database(container: Container) -> UpgradeReport:
    """Bring the schema to the newest migration, then do what the migrations could not do
    without the server key: seal plaintext webhook secrets, and checkpoint SQLite's WAL so
    no converted plaintext stays behind in it. At head with nothing to seal it changes
    nothing, so it is safe on every start and every deploy."""
    from dagy.adapters.sql.migrate import current_revision
    from dagy.adapters.sql.wal import checkpoint
    from dagy.application.use_cases.sensors import seal_plaintext_secrets

    engine = container.database.engine
    before = current_revision(engine)
    container.database.upgrade()
    sealed = seal_plaintext_secrets(container.deps)
    checkpoint(engine)
    return UpgradeReport(before, current_revision(engine), sealed)
