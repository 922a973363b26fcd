"""Artifacts (a ZIP body, or a presigned upload) and flows: register versions, read them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from dagy.application.use_cases import flows
from dagy.domain.errors import ValidationError
from dagy.entrypoints.api.auth import DepsDep, PrincipalDep
from dagy.entrypoints.api.errors import JSON_BODY_LIMIT, BodyTooLarge
from dagy.entrypoints.api.pagination import DEFAULT_LIMIT, Cursor, Limit, cursor_errors, paged
from dagy.entrypoints.api.schemas_common import ExecutorName, PlainName, errors
from dagy.entrypoints.api.schemas_flows import (ArtifactStored, FlowDetail, FlowPage, FlowRegistered,
                                                FlowVersionView, FlowView, PresignedUpload)
from dagy.entrypoints.api.uploads import SpooledBody, spooled_body

router = APIRouter(tags=["flows"])

Name = PlainName
CodeHash = Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,128}$")]


class RegisterFlowBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    flow_name: Name
    flow_version: Name
    flow_spec: dict[str, Any] | None = Field(
        None, description="optional: derived from the artifact; a different one is a 422")
    artifact_uri: Annotated[str, Field(min_length=1, max_length=2000)]
    code_hash: CodeHash | None = Field(
        None, description="optional: derived from the artifact; a different one is a 422")
    namespace: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    tags: dict[str, str] | None = None
    default_executor: ExecutorName | None = None


class PresignBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    flow_name: Name
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$",
                                 description="SHA-256 of the ZIP, 64 lowercase hex digits")]


_ARTIFACT_BODIES = {"requestBody": {"required": True, "content": {
    "application/zip": {"schema": {"type": "string", "format": "binary"}},
    "application/json": {"schema": PresignBody.model_json_schema()}}}}


@router.post("/artifacts", status_code=201, openapi_extra=_ARTIFACT_BODIES,
             response_model=ArtifactStored | PresignedUpload, responses=errors())
def upload_artifact(request: Request, deps: DepsDep, principal: PrincipalDep,
                    body: Annotated[SpooledBody, Depends(spooled_body)],
                    flow_name: Annotated[str | None, Query(
                        min_length=1, max_length=200, description="required with a ZIP body")
                    ] = None,
                    code_hash: Annotated[str | None, Header(alias="X-Dagy-Code-Hash")] = None,
                    ) -> ArtifactStored | PresignedUpload:
    """The ZIP as the body (`?flow_name=`), or, with `Content-Type: application/json` and
    `{"flow_name", "sha256"}`, a presigned URL to PUT the ZIP to when the store has one."""
    if _media_type(request) == "application/json":
        return _presign(deps, principal, body)
    if flow_name is None:  # required for ZIP bodies: the same 422 FastAPI gives
        raise RequestValidationError([{"type": "missing", "loc": ("query", "flow_name"),
                                       "msg": "Field required", "input": None}])
    if code_hash is not None and not (code_hash.isascii() and code_hash.isalnum()
                                      and len(code_hash) <= 128):
        raise ValidationError("X-Dagy-Code-Hash must be an alphanumeric hash (max 128 characters)")
    stored = flows.store_artifact(deps, principal, body.file, flow_name, code_hash,
                                  sha256=body.sha256)
    return ArtifactStored.from_stored(stored, flow_name)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


def _presign(deps: Any, principal: Any, spooled: SpooledBody) -> PresignedUpload:
    if spooled.size > JSON_BODY_LIMIT:  # /artifacts has the ZIP limit; JSON keeps its own
        raise BodyTooLarge(JSON_BODY_LIMIT)
    try:
        body = PresignBody.model_validate_json(spooled.read_small())
    except PydanticValidationError as exc:
        raise RequestValidationError([{**err, "loc": ("body", *err["loc"])}
                                      for err in exc.errors(include_url=False)]) from None
    upload = flows.presign_artifact(deps, principal, body.flow_name, body.sha256)
    if upload is None:
        raise ValidationError("this control plane does not presign artifact uploads: send the "
                              "ZIP as the request body (Content-Type: application/zip, "
                              "?flow_name=...)")
    return PresignedUpload.from_upload(upload)


@router.post("/flows", status_code=201, response_model=FlowRegistered, responses={
    200: {"model": FlowRegistered, "description": "This version was already registered"},
    **errors(404, 409)})
def register_flow(body: RegisterFlowBody, deps: DepsDep, principal: PrincipalDep,
                  response: Response) -> FlowRegistered:
    """201 for a new version; 200 when this version is already registered with this code."""
    cmd = flows.RegisterFlow(body.flow_name, body.flow_version, body.flow_spec,
                             body.artifact_uri, body.code_hash, body.namespace or "default",
                             dict(body.tags or {}), body.default_executor)
    record, created = flows.register_flow(deps, principal, cmd)
    response.status_code = 201 if created else 200
    return FlowRegistered.from_entity(record, created=created)


@router.get("/flows", response_model=FlowPage, responses=errors())
def list_flows(deps: DepsDep, principal: PrincipalDep,
               namespace: Annotated[str | None, Query(max_length=200,
                                                      description="namespace prefix")] = None,
               tag: Annotated[list[str] | None, Query(description="key=value, repeatable")] = None,
               limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> dict[str, Any]:
    """The latest version of each flow, by name."""
    tags = _parse_tags(tag or [])
    with cursor_errors(cursor):
        result = flows.list_flows(deps, principal, namespace_prefix=namespace, tags=tags,
                                  limit=limit, cursor=cursor)
    return paged(result, FlowView.from_entity)


@router.get("/flows/{flow_name}", response_model=FlowDetail, responses=errors(404))
def get_flow(flow_name: str, deps: DepsDep, principal: PrincipalDep) -> FlowDetail:
    return FlowDetail.from_versions(flows.get_flow_versions(deps, principal, flow_name))


@router.get("/flows/{flow_name}/versions/{flow_version}", response_model=FlowVersionView,
            responses=errors(404))

def get_flow_version(flow_name: str, flow_version: str, deps: DepsDep,
                     principal: PrincipalDep) -> FlowVersionView:
    """One version with its FlowSpec; "latest" names the newest registered version."""
    record = flows.get_flow_version(deps, principal, flow_name, flow_version)
    return FlowVersionView.from_entity(record)


def _parse_tags(pairs: list[str]) -> dict[str, str]:
    tags: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValidationError(f"tag filter {pair!r} must look like key=value")
        tags[key] = value
    return tags
