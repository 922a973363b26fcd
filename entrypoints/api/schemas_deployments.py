"""Wire models of deployments, built from the entity (`from_entity`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from dagy.entrypoints.api.schemas_common import EntityView, Page, Timestamp


class DeploymentView(EntityView):
    deployment_name: str
    flow_name: str
    flow_version: str
    schedule: str | None
    default_executor: str | None
    default_runtime_tier: str | None
    tags: dict[str, str]
    parameters: dict[str, Any]
    status: Literal["ACTIVE", "PAUSED"]
    environment: str = Field(description="the org environment the deployment runs in")
    promoted_from: str | None = Field(
        description="the deployment a promotion copied this one from (null: deployed directly)")
    created_at: Timestamp
    updated_at: Timestamp


class DeploymentSaved(DeploymentView):
    created: bool = Field(description="false when an existing deployment was updated")


class DeploymentPage(Page[DeploymentView]):
    pass
