"""Schedule and Sensor entities (fields of seed 002, plus the issue's DST and catch-up rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

MODES = ("cron", "interval", "one_time", "manual")
CATCHUP_POLICIES = ("none", "all")
DEFAULT_DST_POLICY = {"nonexistent": "shift", "ambiguous": "once"}
SENSOR_TYPES = ("webhook", "s3", "polling")


@dataclass
class Schedule:
    schedule_id: str
    org_id: str
    deployment_name: str
    flow_name: str
    mode: str = "cron"
    cron_expression: str | None = None
    interval_seconds: int | None = None
    timezone: str = "UTC"
    start_at: datetime | None = None
    end_at: datetime | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    catchup_policy: str = "none"
    max_catchup_runs: int = 100
    dst_policy: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_DST_POLICY))
    next_run_epoch: int | None = None
    next_run_at: datetime | None = None
    last_triggered_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 0


@dataclass
class Sensor:
    """A trigger of a deployment's runs. Its credentials are kept only in stored form:
    `webhook_token_hash` (what the token is looked up by) and `hmac_secret_ciphertext`
    (the webhook's HMAC secret, encrypted by a SecretCipher). `webhook_token` is the
    plaintext token on the sensor that creation and rotation return, shown once;
    repositories never store it, so a sensor read back has None there."""

    sensor_id: str
    org_id: str
    name: str
    sensor_type: str
    deployment_name: str
    flow_name: str
    flow_params: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    webhook_token: str | None = None
    cursor: str | None = None
    next_poll_epoch: int | None = None
    last_triggered_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 0
    webhook_token_hash: str | None = None
    hmac_secret_ciphertext: str | None = None
