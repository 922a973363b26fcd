"""Wire models of artifacts and flows: what POST /artifacts, POST /flows and GET /flows* answer,
built from the use cases' results (`from_entity`, `FlowDetail.from_versions`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from dagy.entrypoints.api.schemas_common import EntityView, Page, Timestamp


class ArtifactStored(BaseModel):
    artifact_uri: str = Field(description="pass to POST /flows")
    flow_name: str
    code_hash: str | None = Field(description="the code hash the server derived from the ZIP")
    size_bytes: int

    @classmethod
    def from_stored(cls, stored: Any, flow_name: str) -> "ArtifactStored":
        return cls.model_construct(artifact_uri=stored.uri, flow_name=flow_name,
                                   code_hash=stored.code_hash, size_bytes=stored.size)


class PresignedUpload(BaseModel):
    """Answered for a JSON body: PUT the ZIP to `upload_url` with `method` and `headers`."""

    artifact_uri: str
    upload_url: str
    method: str
    headers: dict[str, str]

    @classmethod
    def from_upload(cls, upload: dict[str, Any]) -> "PresignedUpload":
        return cls.model_construct(**{key: upload[key] for key in cls.model_fields})


class FlowView(EntityView):
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

    @classmethod
    def from_entity(cls, entity: Any, **extra: Any) -> Any:
        return super().from_entity(entity, flow_spec=entity.flow_spec.to_dict(), **extra)


class VersionSummary(EntityView):
    flow_version: str
    code_hash: str
    artifact_uri: str
    status: str
    created_at: Timestamp


class FlowDetail(FlowView):
    """The latest version, with every registered version, oldest first."""

    latest_version: str
    versions: list[VersionSummary]

    @classmethod
    def from_versions(cls, versions: list[Any]) -> "FlowDetail":
        """`versions` oldest first, as the use case answers them; the last is the latest."""
        latest = versions[-1]
        return cls.from_entity(latest, latest_version=latest.flow_version,
                               versions=[VersionSummary.from_entity(v) for v in versions])


class FlowPage(Page[FlowView]):
    pass
