"""What the audit log keeps of each kind of resource: its public fields.

One function per resource type, used for `before`/`after` of its audit entries. Stored
credentials never enter the log: key and token hashes and ciphertexts are left out by
name here, and `redact` (domain/audit.py) masks anything else under a secret-looking key
(a sensor's `hmac_secret`, a run parameter called `password`). Bulky or volatile fields
are left out too: a flow's spec (its code hash names it exactly) and a run's result,
lease and executor bookkeeping (the engine's state, not the caller's change).
"""

from __future__ import annotations

from typing import Any

from dagy.application.audit_trail import snapshot, stored_form


def deployment_view(deployment: Any) -> dict[str, Any] | None:
    return snapshot(deployment, drop=("org_id",))


def flow_view(flow: Any) -> dict[str, Any] | None:
    return snapshot(flow, drop=("org_id", "flow_spec"))


def schedule_view(schedule: Any) -> dict[str, Any] | None:
    return snapshot(schedule, drop=("org_id",))


def sensor_view(sensor: Any) -> dict[str, Any] | None:
    return snapshot(sensor, drop=("org_id", "webhook_token", "webhook_token_hash",
                                  "hmac_secret_ciphertext", "cursor"))


def api_key_view(key: Any) -> dict[str, Any] | None:
    return snapshot(key, drop=("org_id", "secret_hash", "hash_scheme", "last_used_at"))


def org_view(org: Any) -> dict[str, Any] | None:
    return snapshot(org)


RUN_FIELDS = ("flow_name", "flow_version", "deployment_name", "status", "parameters",
              "runtime_tier", "idempotency_key")


def run_view(run: Any) -> dict[str, Any] | None:
    """The caller's side of a run: what was asked for and its status (its id is the
    entry's resource id; kept small, as POST /runs writes one per run)."""
    if run is None:
        return None
    return stored_form({name: getattr(run, name) for name in RUN_FIELDS})
