"""Registered flows (immutable per name + version) and the deployments that bind them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dagy.domain.flowspec import FlowSpec


@dataclass
class FlowRecord:
    """One registered version. `flow_spec` is immutable once registered: stores may share
    one FlowSpec object between the records they hand out."""

    org_id: str
    flow_name: str
    flow_version: str
    flow_spec: FlowSpec
    artifact_uri: str
    code_hash: str
    namespace: str = "default"
    tags: dict[str, str] = field(default_factory=dict)
    default_executor: str | None = None
    status: str = "ACTIVE"
    created_at: datetime | None = None
    updated_at: datetime | None = None


DEPLOYMENT_ACTIVE, DEPLOYMENT_PAUSED = "ACTIVE", "PAUSED"


@dataclass
class Deployment:
    org_id: str
    deployment_name: str
    flow_name: str
    flow_version: str
    schedule: str | None = None
    default_executor: str | None = None
    default_runtime_tier: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    status: str = DEPLOYMENT_ACTIVE
    created_at: datetime | None = None
    updated_at: datetime | None = None
    #: The org environment this deployment runs in (dagy.domain.environments).
    environment: str = "development"
    #: The deployment a promotion copied this one from; None when deployed directly.
    promoted_from: str | None = None

    @property
    def paused(self) -> bool:
        return self.status == DEPLOYMENT_PAUSED
