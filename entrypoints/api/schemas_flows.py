"""Wire models of artifacts and flows: what POST /artifacts, POST /flows and GET /flows* answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from dagy.entrypoints.api.schemas_common import Page, Timestamp


class ArtifactStored(BaseModel):
    artifact_uri: str = Field(description="pass to POST /flows")
    flow_name: str
    code_hash: str | None = Field(description="the code hash the server derived from the ZIP")
    size_bytes: int


class PresignedUpload(BaseModel):
    """Answered for a JSON body: PUT the ZIP to `upload_url` with `method` and `headers`."""

    artifact_uri: str
    upload_url: str
    method: str
    headers: dict[str, str]


class FlowView(BaseModel):
    flow_name: str
    flow_version: str
    namespace: str
    tags: dict[str, str]
    artifact_uri: str
    code_hash: str
    default_executor: str | None
    status: str
    created_at: Timestamp
    updated_at: Timestamp


class FlowRegistered(FlowView):
    created: bool = Field(description="false when this version was already registered")


class FlowVersionView(FlowView):
    flow_spec: dict[str, Any] = Field(description="the FlowSpec document of this version")


class VersionSummary(BaseModel):
    flow_version: str
    code_hash: str
    artifact_uri: str
    status: str
    created_at: Timestamp


class FlowDetail(FlowView):
    """The latest version, with every registered version, oldest first."""

    latest_version: str
    versions: list[VersionSummary]


class FlowPage(Page[FlowView]):
    pass
