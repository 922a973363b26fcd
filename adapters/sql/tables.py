"""The schema, as SQLAlchemy Core tables. Domain objects are mapped by the repositories.

Alembic migrations (adapters/sql/migrations) create exactly these tables; a test
compares the migrated schema with this metadata.
"""

from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Boolean, Column, DateTime, Float, Index, Integer,
                        MetaData, String, Table, Text, UniqueConstraint)

metadata = MetaData()

TS = DateTime(timezone=True)

organizations = Table(
    "organizations", metadata,
    Column("org_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", TS),
)

users = Table(
    "users", metadata,
    Column("user_id", String(64), primary_key=True),
    Column("email", String(320), nullable=False),  # lower-cased
    Column("created_at", TS),
    Column("password_hash", Text),  # a PasswordHasher's stored form; NULL: no password login
    Column("external_subject", String(700)),  # "<issuer>|<sub>" of an identity provider
    UniqueConstraint("email", name="uq_users_email"),
    UniqueConstraint("external_subject", name="uq_users_external_subject"),
)

memberships = Table(
    "memberships", metadata,
    Column("org_id", String(64), primary_key=True),
    Column("user_id", String(64), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("created_at", TS),
    Column("seq", BigInteger, nullable=False),
    Index("ix_memberships_user", "user_id"),
    Index("ix_memberships_org_seq", "org_id", "seq"),
)

api_keys = Table(
    "api_keys", metadata,
    Column("key_id", String(64), primary_key=True),
    Column("org_id", String(64), nullable=False, index=True),
    Column("user_id", String(64), nullable=False),
    Column("prefix", String(32), nullable=False, unique=True),
    Column("secret_hash", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("created_at", TS),
    Column("role", String(16), nullable=False),
    Column("environments", JSON),  # NULL: every environment
    Column("expires_at", TS),
    Column("last_used_at", TS),
    Column("hash_scheme", String(16), nullable=False),  # "hmac-sha256", or legacy "sha256"
    Column("seq", BigInteger, nullable=False),
    Index("ix_api_keys_org_seq", "org_id", "seq"),
)

access_tokens = Table(  # people's access and refresh tokens: keyed hashes only
    "access_tokens", metadata,
    Column("token_id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),  # "access" | "refresh"
    Column("user_id", String(64), nullable=False),
    Column("family_id", String(64), nullable=False),  # one login and its refreshes
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("revoked", Boolean, nullable=False),
    Column("used_at", TS),  # a refresh token: when it was exchanged
    Index("ix_access_tokens_family", "family_id"),
    Index("ix_access_tokens_user", "user_id"),
)

invitations = Table(  # invitations to join an org: the token's keyed hash only
    "invitations", metadata,
    Column("invitation_id", String(64), primary_key=True),
    Column("org_id", String(64), nullable=False),
    Column("email", String(320), nullable=False),  # lower-cased
    Column("role", String(16), nullable=False),
    Column("inviter_id", String(64), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("accepted_at", TS),
    Column("accepted_by", String(64)),  # the person who accepted
    Column("seq", BigInteger, nullable=False),
    Index("ix_invitations_org_seq", "org_id", "seq"),
)

flows = Table(
    "flows", metadata,
    Column("org_id", String(64), primary_key=True),
    Column("flow_name", String(200), primary_key=True),
    Column("flow_version", String(100), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("namespace", String(300), nullable=False),
    Column("tags", JSON, nullable=False),
    Column("flow_spec_json", Text, nullable=False),
    Column("artifact_uri", Text, nullable=False),
    Column("code_hash", String(64), nullable=False),
    Column("default_executor", String(32)),
    Column("status", String(16), nullable=False),
    Column("created_at", TS),
    Column("updated_at", TS),
)

deployments = Table(
    "deployments", metadata,
    Column("org_id", String(64), primary_key=True),
    Column("deployment_name", String(200), primary_key=True),
    Column("flow_name", String(200), nullable=False),
    Column("flow_version", String(100), nullable=False),
    Column("schedule", String(200)),
    Column("default_executor", String(32)),
    Column("default_runtime_tier", String(16)),
    Column("tags", JSON, nullable=False),
    Column("parameters", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", TS),
    Column("updated_at", TS),
    Column("environment", String(64), nullable=False),
    Column("promoted_from", String(200)),  # the deployment a promotion copied this from
    Index("ix_deployments_org_environment", "org_id", "environment"),
)

#: An org's named environments (development, staging, production, ...), listed by seq.
environments = Table(
    "environments", metadata,
    Column("org_id", String(64), primary_key=True),
    Column("env_name", String(64), primary_key=True),
    Column("is_protected", Boolean, nullable=False),
    Column("default_executor", String(64)),
    Column("default_runtime_tier", String(16)),
    Column("config_json", JSON, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("created_at", TS),
    Column("updated_at", TS),
    Index("ix_environments_org_seq", "org_id", "seq"),
)

runs = Table(
    "runs", metadata,
    Column("run_id", String(64), primary_key=True),
    Column("org_id", String(64), nullable=False),
    Column("run_slug", String(100)),
    Column("flow_name", String(200), nullable=False),
    Column("flow_version", String(100), nullable=False),
    Column("deployment_name", String(200)),
    Column("status", String(16), nullable=False),
    Column("parameters", JSON, nullable=False),
    Column("executor", String(32)),
    Column("external_id", String(300)),
    Column("runtime_tier", String(16)),
    Column("idempotency_key", String(300)),
    Column("result", JSON),
    Column("error_message", Text),
    Column("version", Integer, nullable=False),
    Column("lease_expires_at", TS),
    Column("created_at", TS),
    Column("started_at", TS),
    Column("completed_at", TS),
    Column("lease_owner", String(100)),
    Column("trigger_source", String(16)),
    UniqueConstraint("org_id", "idempotency_key", name="uq_runs_org_idempotency_key"),
    Index("ix_runs_org_created", "org_id", "created_at", "run_id"),
    Index("ix_runs_org_status", "org_id", "status"),
    Index("ix_runs_lease", "status", "lease_expires_at"),
)

task_runs = Table(
    "task_runs", metadata,
    Column("task_run_id", String(300), primary_key=True),
    Column("org_id", String(64), nullable=False),
    Column("run_id", String(64), nullable=False),
    Column("task_id", String(200), nullable=False),
    Column("task_name", String(200), nullable=False),
    Column("map_index", Integer),
    Column("status", String(16), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("executor", String(32)),
    Column("started_at", TS),
    Column("completed_at", TS),
    Column("error_message", Text),
    Column("output_ref", Text),
    Column("result", JSON),
    Column("seq", BigInteger, nullable=False),
    Column("error_traceback", Text),
    Index("ix_task_runs_run", "org_id", "run_id", "seq"),
)

outbox = Table(
    "outbox", metadata,
    Column("event_id", String(64), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", TS),
    Column("dispatched_at", TS),
    Index("ix_outbox_pending", "dispatched_at", "seq"),
)

queue_messages = Table(
    "queue_messages", metadata,
    Column("message_id", String(64), primary_key=True),
    Column("queue", String(100), nullable=False),
    Column("body", Text, nullable=False),
    Column("visible_at", BigInteger, nullable=False),  # epoch milliseconds
    Column("receive_count", Integer, nullable=False),
    Column("receipt", String(64)),
    Column("seq", BigInteger, nullable=False),
    Column("created_at", TS),
    Index("ix_queue_visible", "queue", "visible_at", "seq"),
)

log_lines = Table(
    "log_lines", metadata,
    Column("line_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("org_id", String(64), nullable=False),
    Column("run_id", String(64), nullable=False),
    Column("log_group", String(300), nullable=False),
    Column("log_stream", String(400), nullable=False),
    Column("task_run_id", String(300)),
    Column("level", String(16), nullable=False),
    Column("message", Text, nullable=False),
    Column("timestamp", TS, nullable=False),
    Index("ix_log_lines_run", "org_id", "run_id", "line_id"),
)

schedules = Table(
    "schedules", metadata,
    Column("schedule_id", String(64), primary_key=True),
    Column("org_id", String(64), nullable=False),
    Column("deployment_name", String(200), nullable=False),
    Column("flow_name", String(200), nullable=False),
    Column("mode", String(16), nullable=False),
    Column("cron_expression", String(200)),
    Column("interval_seconds", BigInteger),
    Column("timezone", String(64), nullable=False),
    Column("start_at", TS),
    Column("end_at", TS),
    Column("parameters", JSON, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("catchup_policy", String(16), nullable=False),
    Column("max_catchup_runs", Integer, nullable=False),
    Column("dst_policy", JSON, nullable=False),
    Column("next_run_epoch", BigInteger),  # epoch seconds
    Column("next_run_at", TS),
    Column("last_triggered_at", TS),
    Column("created_at", TS),
    Column("updated_at", TS),
    Column("version", Integer, nullable=False),
    Index("ix_schedules_due", "enabled", "next_run_epoch"),
    Index("ix_schedules_org_deployment", "org_id", "deployment_name"),
)

#: What became of each slot the tick handled (dagy.domain.schedules.slots), newest
#: SLOT_HISTORY per schedule; the primary key makes one record per slot.
schedule_slots = Table(
    "schedule_slots", metadata,
    Column("org_id", String(64), primary_key=True),
    Column("schedule_id", String(64), primary_key=True),
    Column("epoch", BigInteger, primary_key=True, autoincrement=False),  # slot time, epoch s
    Column("scheduled_for", TS, nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", Text),
    Column("run_id", String(64)),
    Column("recorded_at", TS, nullable=False),
)

sensors = Table(
    "sensors", metadata,
    Column("sensor_id", String(64), primary_key=True),
    Column("org_id", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("sensor_type", String(16), nullable=False),
    Column("deployment_name", String(200), nullable=False),
    Column("flow_name", String(200), nullable=False),
    Column("flow_params", JSON, nullable=False),
    Column("config", JSON, nullable=False),
    Column("s3_bucket", String(255)),  # config["bucket"] of an s3 sensor, for matching_s3
    Column("enabled", Boolean, nullable=False),
    Column("webhook_token_hash", String(64)),  # dagy.domain.tenancy.hash_secret of the token
    Column("cursor", Text),
    Column("next_poll_epoch", BigInteger),  # epoch seconds
    Column("last_triggered_at", TS),
    Column("created_at", TS),
    Column("updated_at", TS),
    Column("version", Integer, nullable=False),
    Column("hmac_secret_ciphertext", Text),  # a SecretCipher ciphertext, never plaintext
    UniqueConstraint("webhook_token_hash", name="uq_sensors_webhook_token_hash"),
    Index("ix_sensors_poll", "sensor_type", "enabled", "next_poll_epoch"),
    Index("ix_sensors_s3_bucket", "s3_bucket"),
    Index("ix_sensors_org", "org_id", "sensor_id"),
)

# token buckets shared by every process answering requests (adapters/sql/rate_limit.py)
rate_limit_buckets = Table(
    "rate_limit_buckets", metadata,
    Column("bucket_key", String(300), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("updated_at", Float, nullable=False),  # epoch seconds
)

# one row per API request answered, written in batches (adapters/sql/access_log.py)
access_logs = Table(
    "access_logs", metadata,
    Column("log_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("at", TS, nullable=False),
    Column("org_id", String(64)),  # null when no org was known (401, 404 before auth)
    Column("method", String(16), nullable=False),
    Column("route", String(300), nullable=False),  # the route template, never raw ids
    Column("path", String(2000), nullable=False),
    Column("status", Integer, nullable=False),
    Column("latency_ms", Float, nullable=False),
    Column("credential_id", String(64), nullable=False),  # key id, token id or "anonymous"
    Column("client_ip", String(64), nullable=False),
    Column("user_agent", String(300), nullable=False),
    Column("request_id", String(128), nullable=False),
    Index("ix_access_logs_org", "org_id", "log_id"),
    Index("ix_access_logs_at", "at"),
)

# one row per mutation, hash-chained per org; inserted only (adapters/sql/repos_audit.py)
audit_logs = Table(
    "audit_logs", metadata,
    Column("entry_id", String(64), primary_key=True),
    Column("org_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),  # 1, 2, ... per org: the chain's order
    Column("actor", String(200), nullable=False),
    Column("action", String(100), nullable=False),
    Column("resource_type", String(64), nullable=False),
    Column("resource_id", String(300), nullable=False),
    Column("at", TS, nullable=False),
    Column("before_json", JSON),  # redacted public fields; hashed as stored
    Column("after_json", JSON),
    Column("ip", String(64)),
    Column("request_id", String(128)),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
    UniqueConstraint("org_id", "seq", name="uq_audit_logs_org_seq"),
    Index("ix_audit_logs_resource", "org_id", "resource_type", "resource_id"),
    Index("ix_audit_logs_actor", "org_id", "actor"),
    Index("ix_audit_logs_at", "org_id", "at"),
)

secrets = Table(  # encrypted values only; environment '' = org-wide
    "secrets", metadata,
    Column("org_id", String(64), primary_key=True),
    Column("environment", String(64), primary_key=True),
    Column("secret_name", String(128), primary_key=True),
    Column("encrypted_value", Text, nullable=False),  # a SecretCipher ciphertext
    Column("key_id", String(32), nullable=False),  # the key that made it (rotation)
    Column("seq", BigInteger, nullable=False),
    Column("created_by", String(320)),
    Column("updated_by", String(320)),
    Column("created_at", TS),
    Column("updated_at", TS),
    Index("ix_secrets_org_seq", "org_id", "seq"),
    Index("ix_secrets_key_id", "key_id"),
)
