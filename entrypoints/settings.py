"""The server's settings, from the environment (prefix DAGY_): the server side's one
reader of os.environ (the SDK's is dagy/settings.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from dagy.entrypoints.state_dir import DATABASE_FILE, private_file


class DagySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DAGY_", extra="ignore")

    home: Path = Path.home() / ".dagy"
    database_url: str | None = None          # default: sqlite:///$DAGY_HOME/dagy.db
    queue: Literal["sql", "sqs", "memory"] = "sql"
    sqs_queue_url: str | None = None
    sqs_dlq_url: str | None = None
    artifact_bucket: str | None = None       # S3 bucket; default: $DAGY_HOME/artifacts
    log_sink: Literal["sql", "file"] = "sql"
    lease_seconds: float = 30.0
    lost_lease_policy: Literal["requeue", "fail"] = "requeue"
    max_workers: int = 8
    max_receives: int = 5
    # what one artifact may unpack to (checked at upload, register and load): docs/artifacts.md
    artifact_max_uncompressed_bytes: int = Field(1024 ** 3, ge=1)
    artifact_max_files: int = Field(20_000, ge=1)
    artifact_max_ratio: float = Field(100.0, ge=1)
    # encrypts stored credentials (webhook HMAC secrets): 32 random bytes in base64.
    # Default: generated on first start into $DAGY_HOME/secret.key (SQLite only; a
    # shared database needs the same key on every process, so there it is required).
    secret_key: SecretStr | None = None
    # DAGY_API_KEY_PEPPER: the secret API-key hashes are keyed with (HMAC-SHA256), at least
    # 32 characters. Default: generated on first start into $DAGY_HOME/api-key.pepper
    # (SQLite only, as the secret key). Changing it invalidates every API key.
    api_key_pepper: SecretStr | None = None
    # DAGY_SECRET_KEYS: comma-separated Fernet keys encrypting tenants' secrets; the first
    # encrypts, every one decrypts (rotation: put the new key first, run `dagy secrets
    # rotate-key`, then drop the old one). Default: generated on first start into
    # $DAGY_HOME/secrets.keys (SQLite only, as the secret key).
    secret_keys: SecretStr | None = None
    # Token buckets per API key (DAGY_RATE_LIMIT_PER_SECOND, DAGY_RATE_LIMIT_BURST) and per
    # org (..._ORG_...; default four times the key's). Defaults are far above one person's
    # use and above benchmarks/api.py's load; 0 turns a limit off.
    rate_limit_per_second: float = Field(2000.0, ge=0)
    rate_limit_burst: int = Field(4000, ge=0)
    rate_limit_org_per_second: float | None = Field(None, ge=0)
    rate_limit_org_burst: int | None = Field(None, ge=0)
    # Password logins per email per minute (bursts of as many); per client IP ten times
    # that. Every attempt counts, so a correct guess is refused too once the bucket is
    # empty (what makes guessing slow). 0 turns it off.
    login_attempts_per_minute: int = Field(10, ge=0)
    # people's tokens from POST /auth/login: the access token's lifetime (every request)
    # and the refresh token's (exchanged for a new pair by POST /auth/refresh)
    access_token_ttl_seconds: float = Field(900.0, gt=0)
    refresh_token_ttl_seconds: float = Field(30 * 86400.0, gt=0)
    # the bootstrap owner's first password; unset: generated into
    # $DAGY_HOME/initial-admin-password on first start
    admin_password: SecretStr | None = None
    # DAGY_UI_DIR: the built web UI (`npm run build` in ui/ writes ui/out) that `dagy
    # server` serves at /ui/; unset: ui/out of this source tree when it holds index.html
    ui_dir: Path | None = None
    # an identity provider's JWTs (docs/security.md "JWT from an identity provider"): set
    # all three of DAGY_JWT_ISSUER, DAGY_JWT_AUDIENCE, DAGY_JWKS_URL to accept them next to
    # Dagy's own credentials; DAGY_JWT_REQUIRED=true makes them people's only sign-in
    jwt_required: bool = False
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwks_url: str | None = None
    # the access log (docs/security.md "Access log"): entries older than this many days
    # are deleted, in bounded steps, once an hour; 0 keeps them forever
    access_log_retention_days: int = Field(30, ge=0)
    # DAGY_API_CORS_ALLOWED_ORIGINS: comma-separated exact origins (https://app.example.com)
    # or "*" alone; empty: no CORS headers at all (entrypoints/api/cors.py)
    api_cors_allowed_origins: str = ""

    @property
    def uses_sqlite(self) -> bool:
        """The embedded SQLite database (the default, or a sqlite:// URL): one process
        owns it, so keys and buckets may live in that process. Touches no file."""
        return not self.database_url or self.database_url.startswith("sqlite")

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{private_file(self.home / DATABASE_FILE)}"
