"""What use cases need from the outside, bundled once by the composition root."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from dagy.application.caches import Caches
from dagy.application.ports.queue import EventQueue
from dagy.application.ports.repositories import UnitOfWork
from dagy.application.ports.storage import ArtifactStore, LogSink
from dagy.domain.artifact_limits import ArtifactLimits


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class UuidIds:
    def new_id(self) -> str:
        return uuid.uuid4().hex


@dataclass
class Deps:
    uow: Callable[[], UnitOfWork]
    queue: EventQueue
    artifacts: ArtifactStore
    logs: LogSink
    flow_loader: Any = None  # FlowLoader port: artifact -> ExecutionPlan
    task_runner_factory: Callable[[], Any] | None = None  # -> TaskRunner for one run
    clock: Any = field(default_factory=SystemClock)
    ids: Any = field(default_factory=UuidIds)
    lease_seconds: float = 30.0
    lease_owner: str | None = None  # the server's instance id; its leases are reclaimed at restart
    lost_lease_policy: str = "requeue"  # or "fail"
    max_workers: int = 8
    caches: Caches = field(default_factory=Caches)
    poll_probe: Any = None  # PollProbe (or a callable sensor -> result) for polling sensors
    secret_cipher: Any = None  # SecretCipher (dagy.application.ports.crypto): webhook HMAC secrets
    artifact_limits: ArtifactLimits = field(default_factory=ArtifactLimits)  # unpacked size
