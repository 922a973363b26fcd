"""Wire models of API keys and of the caller (`GET /me`). A key's secret appears only in
ApiKeyCreated, the answer to the request that made it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from dagy.domain.permissions import Role
from dagy.entrypoints.api.query_times import QueryTime
from dagy.entrypoints.api.schemas_common import (TIME_DESCRIPTION, EntityView, Page, PlainName,
                                                 Timestamp)

EnvironmentName = Annotated[str, Field(min_length=1, max_length=100)]


class ApiKeyBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"name": "ci", "role": "developer", "environments": ["staging"]}]})

    name: PlainName
    role: Annotated[Role, Field(strict=False)] | None = Field(
        None, description="default: the caller's own role; never above it")
    environments: list[EnvironmentName] | None = Field(
        None, max_length=50, description="environments the key may act in; default: the "
                                         "caller's (all, for a person or an unlimited key)")
    expires_at: QueryTime | None = Field(None, description="ISO 8601 with offset, in the future")


class ApiKeyView(EntityView):
    key_id: str
    name: str
    prefix: str = Field(description="the public part: keys look like dagy_<prefix>_<secret>")
    role: Role
    environments: list[str] | None
    created_by: str | None = Field(description="the user who made it, if a person did")
    created_at: Timestamp
    expires_at: Timestamp
    last_used_at: Timestamp = Field(description=TIME_DESCRIPTION + "; written at most once "
                                                "a minute")
    revoked: bool


class ApiKeyCreated(ApiKeyView):
    api_key: str = Field(description="the key itself: shown in this answer only")


ApiKeyPage = Page[ApiKeyView]


class MeView(BaseModel):
    org_id: str
    org_name: str
    role: Role
    permissions: list[str] = Field(description="what the caller may do in this org")
    key_id: str | None = Field(description="the API key the request came with")
    credential: Literal["api_key", "access_token", "jwt"] = Field(
        description="what the request authenticated with: an API key, a person's access "
                    "token (POST /auth/login) or an identity provider's token")
    user_id: str | None
    email: str | None
    orgs: list["MeOrg"] = Field(description="every org the caller's person belongs to")


class MeOrg(BaseModel):
    org_id: str
    org_name: str
    role: Role


MeView.model_rebuild()
