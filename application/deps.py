"""What use cases need from the outside, bundled once by the composition root.

Every field is typed with its port (application/ports); only the composition root
(dagy.entrypoints.container: build_container / build_deps) constructs a Deps, so the
adapters behind the ports are chosen in one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Literal

from dagy.application.caches import Caches
from dagy.application.ports.access_log import AccessLogSink
from dagy.application.ports.clock import Clock, IdGenerator
from dagy.application.ports.crypto import SecretCipher
from dagy.application.ports.flow_loader import FlowLoader
from dagy.application.ports.identity_tokens import IdentityTokenVerifier
from dagy.application.ports.passwords import PasswordHasher
from dagy.application.ports.probes import PollProbe
from dagy.application.ports.queue import EventQueue
from dagy.application.ports.rate_limit import RateLimiter
from dagy.application.ports.repositories import UnitOfWork
from dagy.application.ports.storage import ArtifactStore, LogSink
from dagy.application.ports.task_runner import TaskRunner
from dagy.domain.artifact_limits import ArtifactLimits
from dagy.domain.rate_limit import Limit

LostLeasePolicy = Literal["requeue", "fail"]


@dataclass
class Deps:
    uow: Callable[[], UnitOfWork]
    queue: EventQueue
    artifacts: ArtifactStore
    logs: LogSink
    flow_loader: FlowLoader  # artifact -> ExecutionPlan
    task_runner_factory: Callable[[], TaskRunner]  # a fresh TaskRunner for one run
    clock: Clock
    ids: IdGenerator
    poll_probe: PollProbe | None = None  # polling sensors; None: the tick polls nothing
    secret_cipher: SecretCipher | None = None  # webhook HMAC secrets; None: refused
    # tenants' secrets (MultiFernet over DAGY_SECRET_KEYS); None: secrets are refused
    secret_keyring: SecretCipher | None = None
    lease_seconds: float = 30.0
    lease_owner: str | None = None  # the server's instance id; its leases are reclaimed at restart
    lost_lease_policy: LostLeasePolicy = "requeue"
    caches: Caches = field(default_factory=Caches)
    artifact_limits: ArtifactLimits = field(default_factory=ArtifactLimits)  # unpacked size
    # the server's secret for API-key hashes (HMAC-SHA256); the composition root passes the
    # configured one; the default suits a Deps whose keys live only as long as it does
    api_key_pepper: bytes = field(default_factory=lambda: os.urandom(32), repr=False)
    rate_limiter: RateLimiter | None = None  # None: no rate limits
    rate_limit: Limit = field(default_factory=lambda: Limit(0, 0))  # per credential; 0: off
    org_rate_limit: Limit = field(default_factory=lambda: Limit(0, 0))  # per org
    login_rate_limit: Limit = field(default_factory=lambda: Limit(0, 0))  # per email; IP x10
    # people's passwords (login, invitations); None: no password can be set or checked
    password_hasher: PasswordHasher | None = None
    access_token_ttl_seconds: float = 900.0  # a person's access token
    refresh_token_ttl_seconds: float = 30 * 86400.0  # its refresh token
    # an identity provider's JWTs (DAGY_JWKS_URL, _JWT_ISSUER, _JWT_AUDIENCE); None: refused
    identity_tokens: IdentityTokenVerifier | None = None
    # DAGY_JWT_REQUIRED: people sign in only with the provider's JWTs (no password login,
    # no Dagy access tokens); API keys (service accounts) still work
    jwt_required: bool = False
    access_log: AccessLogSink | None = None  # one entry per API request; None: not kept
