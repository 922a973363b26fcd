"""`build_deps(settings, **overrides)`: the one place a `Deps` is constructed.

Two profiles pick the adapters behind the ports:
- "memory": in-memory store, queue, artifacts, logs, flow loader and poll probe, a fresh
  AES-GCM key, threads for tasks. No file, no database, no network: tests and
  benchmarks get a wired Deps in one call and replace what they need
  (`build_deps(uow=..., clock=...)`).
- "server": the SQL database given (`database=`) with the queue, artifact store and log
  sink the settings choose (SQLite/PostgreSQL, SQL queue/SQS, local directory/S3).
  build_container (entrypoints/container.py) uses it and owns what it opens.

Each field is made only when no override replaces it (an overridden cipher never reads a
key file), and adapters are imported only when made, so a Lambda cold start pays only
for the ones its settings need. Polling probes are built on their first sensor: the S3
one imports boto3 (~320 ms), which a server without S3 sensors never needs.
"""

from __future__ import annotations

import secrets
import threading
from typing import Any, Callable, Literal

from dagy.application.deps import Deps
from dagy.application.ports.crypto import SecretCipher
from dagy.application.ports.flow_loader import FlowLoader
from dagy.application.ports.passwords import PasswordHasher
from dagy.application.ports.probes import PollProbe, PollResult
from dagy.application.ports.queue import EventQueue
from dagy.application.ports.rate_limit import RateLimiter
from dagy.application.ports.storage import ArtifactStore, LogSink
from dagy.application.ports.task_runner import TaskRunner
from dagy.domain.artifact_limits import ArtifactLimits
from dagy.domain.rate_limit import Limit
from dagy.domain.errors import ConfigurationError
from dagy.domain.schedules.model import Sensor
from dagy.entrypoints.identity_provider import identity_token_verifier
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.state_dir import (KEY_FILE, PEPPER_FILE, SECRET_KEYS_FILE,
                                        read_or_create_private)

Profile = Literal["memory", "server"]
Makers = dict[str, Callable[[], Any]]
Get = Callable[[str], Any]  # the final value of another field (overridden or made)


def build_deps(settings: DagySettings | None = None, *, profile: Profile = "memory",
               database: Any = None, **overrides: Any) -> Deps:
    """A wired Deps of `profile`; `overrides` (Deps field names) replace single adapters.

    The "server" profile needs `database` (an adapters.sql SqlDatabase); its lifetime is
    the caller's (build_container closes it)."""
    settings = settings or DagySettings()
    fields = dict(overrides)

    def get(name: str) -> Any:
        if name not in fields:
            fields[name] = makers[name]()
        return fields[name]

    if profile == "memory":
        makers = _memory_makers(settings)
    elif profile == "server":
        if database is None:
            raise ValueError("the server profile needs database=SqlDatabase(...)")
        makers = _server_makers(settings, database, get)
    else:
        raise ValueError(f"unknown profile {profile!r} (memory, server)")
    for name in makers:
        get(name)
    return Deps(**fields)


def _common_makers(settings: DagySettings) -> Makers:
    from dagy.adapters.local.system_clock import SystemClock, UuidIds

    def task_runner_factory() -> Callable[[], TaskRunner]:
        from dagy.adapters.compute.threads import ThreadPoolTaskRunner
        return lambda: ThreadPoolTaskRunner(settings.max_workers)  # max_workers sizes it

    return {
        "task_runner_factory": task_runner_factory,
        "clock": SystemClock,
        "ids": UuidIds,
        "lease_seconds": lambda: settings.lease_seconds,
        "lost_lease_policy": lambda: settings.lost_lease_policy,
        "artifact_limits": lambda: artifact_limits(settings),
        "rate_limit": lambda: Limit(settings.rate_limit_per_second, settings.rate_limit_burst),
        "org_rate_limit": lambda: org_rate_limit(settings),
        "login_rate_limit": lambda: login_rate_limit(settings),
        "access_token_ttl_seconds": lambda: settings.access_token_ttl_seconds,
        "refresh_token_ttl_seconds": lambda: settings.refresh_token_ttl_seconds,
        "identity_tokens": lambda: identity_token_verifier(settings),  # identity_provider.py
        "jwt_required": lambda: settings.jwt_required,
    }


def _memory_makers(settings: DagySettings) -> Makers:
    from dagy.adapters.crypto.aes_gcm import AesGcmSecretCipher, generate_key_text
    from dagy.adapters.memory.artifacts import InMemoryArtifactStore
    from dagy.adapters.memory.flow_loader import InMemoryFlowLoader
    from dagy.adapters.memory.logs import InMemoryLogSink
    from dagy.adapters.memory.poll_probe import InMemoryPollProbe
    from dagy.adapters.memory.queue import InMemoryEventQueue
    from dagy.adapters.memory.rate_limit import InMemoryRateLimiter
    from dagy.adapters.memory.repositories import InMemoryStore

    return {
        **_common_makers(settings),
        "uow": lambda: InMemoryStore().unit_of_work,
        "queue": lambda: InMemoryEventQueue(max_receives=settings.max_receives),
        "artifacts": InMemoryArtifactStore,
        "logs": InMemoryLogSink,
        "flow_loader": InMemoryFlowLoader,
        "poll_probe": InMemoryPollProbe,
        "secret_cipher": lambda: AesGcmSecretCipher.from_text(generate_key_text()),
        "secret_keyring": _fresh_keyring,
        "rate_limiter": InMemoryRateLimiter,
        "password_hasher": lambda: password_hasher(cheap=True),
        "access_log": _memory_access_log,
    }


def _memory_access_log() -> Any:
    from dagy.adapters.memory.access_log import InMemoryAccessLogSink
    return InMemoryAccessLogSink()


def _sql_access_log(database: Any) -> Any:
    from dagy.adapters.sql.access_log import SqlAccessLogSink
    return SqlAccessLogSink(database.engine)


def _server_makers(settings: DagySettings, database: Any, get: Get) -> Makers:
    def flow_loader() -> FlowLoader:  # loads what the artifact store holds
        from dagy.adapters.compute.artifact_loader import ArtifactFlowLoader
        return ArtifactFlowLoader(get("artifacts"), settings.home / "cache" / "artifacts",
                                  limits=get("artifact_limits"))

    return {
        **_common_makers(settings),
        "uow": lambda: database.unit_of_work,
        "queue": lambda: _queue(settings, database),
        "artifacts": lambda: _artifact_store(settings),
        "logs": lambda: _log_sink(settings, database),
        "flow_loader": flow_loader,
        "poll_probe": server_poll_probe,
        "secret_cipher": lambda: secret_cipher(settings),
        "secret_keyring": lambda: secret_keyring(settings),
        "api_key_pepper": lambda: api_key_pepper(settings),
        "rate_limiter": lambda: _rate_limiter(settings, database),
        "password_hasher": password_hasher,
        "access_log": lambda: _sql_access_log(database),
    }


class ProbeOnFirstUse:
    """A PollProbe made by `make()` the first time a sensor is probed, then reused."""

    def __init__(self, make: Callable[[], PollProbe]) -> None:
        self._make = make
        self._probe: PollProbe | None = None
        self._lock = threading.Lock()

    @property
    def built(self) -> bool:
        return self._probe is not None

    def __call__(self, sensor: Sensor) -> PollResult:
        if self._probe is None:
            with self._lock:
                if self._probe is None:
                    self._probe = self._make()
        return self._probe(sensor)


def _s3_probe() -> PollProbe:
    from dagy.adapters.aws.s3_probe import S3PollProbe
    return S3PollProbe()


def _http_probe() -> PollProbe:
    from dagy.adapters.local.http_probe import HttpPollProbe
    return HttpPollProbe()


def server_poll_probe() -> PollProbe:
    """Polling by config["kind"]: HTTP and S3, each built when a sensor first needs it."""
    from dagy.application.use_cases.sensor_triggers import probe_by_kind
    return probe_by_kind({"http": ProbeOnFirstUse(_http_probe), "s3": ProbeOnFirstUse(_s3_probe)})


def secret_cipher(settings: DagySettings) -> SecretCipher:
    """DAGY_SECRET_KEY, else (SQLite only) the key kept in $DAGY_HOME/secret.key, made
    on first start: a shared database needs one key on every process that uses it."""
    from dagy.adapters.crypto.aes_gcm import AesGcmSecretCipher, generate_key_text
    if settings.secret_key is not None:
        return AesGcmSecretCipher.from_text(settings.secret_key.get_secret_value())
    if not settings.uses_sqlite:
        raise ConfigurationError("DAGY_SECRET_KEY is required with DAGY_DATABASE_URL="
                                 "postgresql://...: every process sharing the database must "
                                 "encrypt with the same key")
    path = settings.home / KEY_FILE
    try:
        return AesGcmSecretCipher.from_text(read_or_create_private(path, generate_key_text))
    except ConfigurationError as exc:
        raise ConfigurationError(f"{path}: {exc}") from None


def _fresh_keyring() -> SecretCipher:
    from dagy.adapters.crypto.fernet_keyring import FernetKeyring, generate_fernet_key
    return FernetKeyring.from_text(generate_fernet_key())


def secret_keyring(settings: DagySettings) -> SecretCipher | None:
    """The keyring of tenants' secrets: DAGY_SECRET_KEYS (new key first, old ones after),
    else (SQLite only) the key kept in $DAGY_HOME/secrets.keys (0600), made on first
    start. A shared database needs the same keys on every process, so none is generated
    there: without DAGY_SECRET_KEYS the server runs, and refuses secrets (503, saying
    so). Separate from DAGY_SECRET_KEY (webhook HMAC secrets, AES-GCM)."""
    from dagy.adapters.crypto.fernet_keyring import FernetKeyring, generate_fernet_key
    if settings.secret_keys is not None:
        return FernetKeyring.from_text(settings.secret_keys.get_secret_value())
    if not settings.uses_sqlite:
        return None  # the secret use cases answer 503 naming DAGY_SECRET_KEYS
    path = settings.home / SECRET_KEYS_FILE
    try:
        return FernetKeyring.from_text(read_or_create_private(path, generate_fernet_key))
    except ConfigurationError as exc:
        raise ConfigurationError(f"{path}: {exc}") from None


def password_hasher(cheap: bool = False) -> PasswordHasher:
    """scrypt at the OWASP cost (~50 ms a check); `cheap` (the memory profile, whose
    users live only as long as the process: tests) at a cost of microseconds."""
    from dagy.adapters.crypto.scrypt_passwords import ScryptPasswordHasher
    return ScryptPasswordHasher(log2_n=4, r=1, p=1) if cheap else ScryptPasswordHasher()


MIN_PEPPER_CHARS = 32


def login_rate_limit(settings: DagySettings) -> Limit:
    """Password logins per email: DAGY_LOGIN_ATTEMPTS_PER_MINUTE, bursts of as many."""
    per_minute = settings.login_attempts_per_minute
    return Limit(per_minute / 60, per_minute)


def org_rate_limit(settings: DagySettings) -> Limit:
    rate = settings.rate_limit_org_per_second
    burst = settings.rate_limit_org_burst
    return Limit(4 * settings.rate_limit_per_second if rate is None else rate,
                 4 * settings.rate_limit_burst if burst is None else burst)


def _rate_limiter(settings: DagySettings, database: Any) -> RateLimiter:
    """One process answers for SQLite (the embedded server): its buckets live in memory.
    A shared database may have a fleet of API processes: they share buckets in it."""
    if settings.uses_sqlite:
        from dagy.adapters.memory.rate_limit import InMemoryRateLimiter
        return InMemoryRateLimiter()
    from dagy.adapters.sql.rate_limit import SqlRateLimiter
    return SqlRateLimiter(database.engine)


def api_key_pepper(settings: DagySettings) -> bytes:
    """DAGY_API_KEY_PEPPER, else (SQLite only) the pepper kept in $DAGY_HOME/api-key.pepper,
    made on first start: every process checking keys against one database needs it."""
    if settings.api_key_pepper is not None:
        text = settings.api_key_pepper.get_secret_value().strip()
        if len(text) < MIN_PEPPER_CHARS:
            raise ConfigurationError(f"DAGY_API_KEY_PEPPER must be at least {MIN_PEPPER_CHARS} "
                                     "characters of random text")
        return text.encode("utf-8")
    if not settings.uses_sqlite:
        raise ConfigurationError("DAGY_API_KEY_PEPPER is required with DAGY_DATABASE_URL="
                                 "postgresql://...: every process sharing the database must "
                                 "hash API keys with the same pepper")
    path = settings.home / PEPPER_FILE
    text = read_or_create_private(path, lambda: secrets.token_urlsafe(48)).strip()
    if len(text) < MIN_PEPPER_CHARS:
        raise ConfigurationError(f"{path}: the pepper is too short; remove the file to make "
                                 "a new one (every API key then has to be made again)")
    return text.encode("utf-8")


def artifact_limits(settings: DagySettings) -> ArtifactLimits:
    return ArtifactLimits(settings.artifact_max_uncompressed_bytes, settings.artifact_max_files,
                          settings.artifact_max_ratio)


def _queue(settings: DagySettings, database: Any) -> EventQueue:
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
    return SqlEventQueue(database.engine, max_receives=settings.max_receives,
                         sequence=database.sequence)  # one order with its direct outbox


def _artifact_store(settings: DagySettings) -> ArtifactStore:
    if settings.artifact_bucket:
        from dagy.adapters.aws.s3_artifacts import S3ArtifactStore
        return S3ArtifactStore(settings.artifact_bucket)
    from dagy.adapters.local.artifacts import LocalArtifactStore
    return LocalArtifactStore(settings.home / "artifacts")


def _log_sink(settings: DagySettings, database: Any) -> LogSink:
    if settings.log_sink == "file":
        from dagy.adapters.local.logs import FileLogSink
        return FileLogSink(settings.home / "logs")
    from dagy.adapters.sql.logs import SqlLogSink
    return SqlLogSink(database.engine)
