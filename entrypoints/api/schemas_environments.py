"""Wire models of environments, and the promotion of a deployment into one."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from dagy.domain.environments import EXECUTOR_PATTERN, MAX_EXECUTOR_CHARS, MAX_NAME_CHARS
from dagy.entrypoints.api.schemas_common import EntityView, PlainName, TierName, Timestamp
from dagy.entrypoints.api.schemas_deployments import DeploymentView

#: A slug (dagy.domain.environments.check_env_name is the rule; this mirrors it).
EnvName = Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS,
                               pattern=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
Executor = Annotated[str, Field(min_length=1, max_length=MAX_EXECUTOR_CHARS,
                                pattern=f"^{EXECUTOR_PATTERN}$")]


class EnvironmentChanges(BaseModel):
    """Fields an environment may change; only the fields sent are applied."""

    model_config = ConfigDict(extra="forbid", strict=True)

    is_protected: bool = Field(None, description="protected: cannot be deleted; deploying "  # type: ignore[assignment]
                               "into it or changing its secrets needs admin")
    default_executor: Executor | None = None
    default_runtime_tier: TierName | None = None
    config_json: dict[str, Any] | None = Field(
        None, description="any JSON object, at most 64 KiB and 16 levels deep")


class EnvironmentBody(EnvironmentChanges):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"env_name": "qa", "default_runtime_tier": "small",
                      "config_json": {"region": "eu-west-1"}}]})

    env_name: EnvName


class EnvironmentView(EntityView):
    env_name: str
    is_protected: bool
    default_executor: str | None
    default_runtime_tier: str | None
    config_json: dict[str, Any]
    created_at: Timestamp
    updated_at: Timestamp


class EnvironmentList(BaseModel):
    items: list[EnvironmentView] = Field(description="every environment, oldest first")


class PromoteBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"to_environment": "production"}]})

    to_environment: EnvName
    name: PlainName | None = Field(
        None, description="the target deployment; default: the one promoted from this "
                          "deployment into that environment before, else <name>-<environment>")


class PromotedView(DeploymentView):
    created: bool = Field(description="false when an existing target deployment was updated")
    source: str = Field(description="the deployment promoted")
