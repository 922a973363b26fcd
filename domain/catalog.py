"""Registered flows (immutable per name + version) and the deployments that bind them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class FlowRecord:
    org_id: str
    flow_name: str
    flow_version: str
    flow_spec_json: str
    artifact_uri: str
    code_hash: str
    namespace: str = "default"
    tags: dict[str, str] = field(default_factory=dict)
    default_executor: str | None = None
    status: str = "ACTIVE"
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def to_dict(self, with_spec: bool = True) -> dict[str, Any]:
        import json
        data = {
            "flow_name": self.flow_name, "flow_version": self.flow_version,
            "namespace": self.namespace, "tags": self.tags, "artifact_uri": self.artifact_uri,
            "code_hash": self.code_hash, "default_executor": self.default_executor,
            "status": self.status, "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
        }
        if with_spec:
            data["flow_spec"] = json.loads(self.flow_spec_json)
        return data


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

    @property
    def paused(self) -> bool:
        return self.status == DEPLOYMENT_PAUSED

    def to_dict(self) -> dict[str, Any]:
        return {
            "deployment_name": self.deployment_name, "flow_name": self.flow_name,
            "flow_version": self.flow_version, "schedule": self.schedule,
            "default_executor": self.default_executor,
            "default_runtime_tier": self.default_runtime_tier, "tags": self.tags,
            "parameters": self.parameters, "status": self.status,
            "created_at": _iso(self.created_at), "updated_at": _iso(self.updated_at),
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
