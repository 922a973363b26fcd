"""Artifacts and flow registration (immutable per name + version)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from application.deps import Deps, Principal
from domain.catalog import ConflictError, FlowRecord, NotFoundError
from domain.errors import DagyError, ValidationError
from domain.flowspec import FlowSpec
from domain.tiers import parse_executor

MAX_ARTIFACT_BYTES = 250 * 1024 * 1024
PRESIGN_EXPIRES_SECONDS = 15 * 60
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class InvalidArtifactError(ValidationError):
    pass


def upload_artifact(deps: Deps, principal: Principal, data: bytes, flow_name: str) -> str:
    """Store a flow ZIP content-addressed by its SHA-256; returns the artifact URI."""
    if not data or len(data) > MAX_ARTIFACT_BYTES:
        raise InvalidArtifactError("artifact must be a non-empty ZIP under 250 MB")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InvalidArtifactError("artifact is not a ZIP file")
    check_name(flow_name, "flow_name")
    digest = hashlib.sha256(data).hexdigest()
    return deps.artifacts.put(artifact_key(principal.org_id, flow_name, digest), data)


def artifact_key(org_id: str, flow_name: str, sha256: str) -> str:
    """Where an organization's flow ZIP lives in the store, addressed by its content."""
    return f"{org_id}/{flow_name}/{sha256}.zip"


def presign_artifact(deps: Deps, principal: Principal, flow_name: str,
                     sha256: str) -> dict[str, Any] | None:
    """Let the client upload a ZIP straight to the store (no API body size limit).

    Returns `{"upload_url", "artifact_uri", "method", "headers"}` for the key
    `upload_artifact` would use for these bytes (so `register_flow` accepts the URI once
    the bytes are there), or None when the store takes uploads only through the API."""
    check_name(flow_name, "flow_name")
    if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
        raise ValidationError("sha256 must be the SHA-256 of the ZIP as 64 lowercase hex digits")
    presign = getattr(deps.artifacts, "presign_upload", None)
    if presign is None:  # a store written before the capability existed
        return None
    return presign(artifact_key(principal.org_id, flow_name, sha256), PRESIGN_EXPIRES_SECONDS,
                   sha256=sha256)


@dataclass
class RegisterFlow:
    flow_name: str
    flow_version: str
    flow_spec: dict[str, Any]
    artifact_uri: str
    code_hash: str
    namespace: str = "default"
    tags: dict[str, str] = field(default_factory=dict)
    default_executor: str | None = None


def register_flow(deps: Deps, principal: Principal, cmd: RegisterFlow) -> tuple[FlowRecord, bool]:
    """Register a version. Same version + same code_hash: the stored one (created=False);
    same version + other code_hash: ConflictError."""
    check_name(cmd.flow_name, "flow_name")
    check_name(cmd.flow_version, "flow_version")
    spec = FlowSpec.from_dict(cmd.flow_spec)  # SpecError if it is not a valid DAG
    executor = parse_executor(cmd.default_executor)
    if not _owned_artifact(cmd.artifact_uri, principal.org_id, cmd.flow_name):
        raise ValidationError("artifact_uri must be an artifact uploaded by this organization "
                              "for this flow (POST /artifacts)")
    if not deps.artifacts.exists(cmd.artifact_uri):
        raise NotFoundError(f"artifact {cmd.artifact_uri} does not exist")
    if spec.name != cmd.flow_name:
        raise ValidationError(f"flow_spec.name {spec.name!r} does not match flow_name {cmd.flow_name!r}")
    now = deps.clock.now()
    with deps.uow() as uow:
        existing = uow.flows.get(principal.org_id, cmd.flow_name, cmd.flow_version)
        if existing is not None:
            if existing.code_hash == cmd.code_hash:
                return existing, False
            raise ConflictError(
                f"flow {cmd.flow_name!r} version {cmd.flow_version!r} is already registered "
                "with different code; register a new version")
        record = FlowRecord(principal.org_id, cmd.flow_name, cmd.flow_version,
                            json.dumps(spec.to_dict(), sort_keys=True), cmd.artifact_uri,
                            cmd.code_hash, cmd.namespace or "default", dict(cmd.tags or {}),
                            executor, "ACTIVE", now, now)
        uow.flows.add(record)
        uow.commit()
    return record, True


def _owned_artifact(uri: str, org_id: str, flow_name: str) -> bool:
    """Uploaded artifacts end in `<org_id>/<flow_name>/<sha256>.zip` whatever the store."""
    if not isinstance(uri, str):
        return False
    parts = uri.rsplit("/", 3)
    return (len(parts) == 4 and parts[1] == org_id and parts[2] == flow_name
            and len(parts[3]) == 68 and parts[3].endswith(".zip"))


def get_flow_versions(deps: Deps, principal: Principal, flow_name: str) -> list[FlowRecord]:
    with deps.uow() as uow:
        versions = uow.flows.versions(principal.org_id, flow_name)
    if not versions:
        raise NotFoundError(f"flow {flow_name!r} not found")
    return versions


def get_flow_version(deps: Deps, principal: Principal, flow_name: str, version: str) -> FlowRecord:
    with deps.uow() as uow:
        record = uow.flows.get(principal.org_id, flow_name, version)
    if record is None:
        raise NotFoundError(f"flow {flow_name!r} version {version!r} not found")
    return record


def resolve_version(uow: Any, org_id: str, flow_name: str, version: str) -> FlowRecord:
    """The record for `version`, where "latest" means the newest registered version."""
    if version == "latest":
        record = uow.flows.get(org_id, flow_name, "latest")
        if record is None:
            versions = uow.flows.versions(org_id, flow_name)
            record = versions[-1] if versions else None
    else:
        record = uow.flows.get(org_id, flow_name, version)
    if record is None:
        raise NotFoundError(f"flow {flow_name!r} version {version!r} not found")
    return record


def cached_version(deps: Deps, uow: Any, org_id: str, flow_name: str,
                   version: str) -> FlowRecord:
    """resolve_version, remembering explicit versions (immutable once registered)."""
    if version == "latest":
        return resolve_version(uow, org_id, flow_name, version)
    key = (org_id, flow_name, version)
    record = deps.caches.flow_versions.get(key)
    if record is None:
        record = deps.caches.flow_versions.put(key, resolve_version(uow, org_id, flow_name,
                                                                    version))
    return record


def check_name(value: Any, field_name: str) -> None:
    """Names appear in URLs, log groups and object keys: keep them plain."""
    if (not isinstance(value, str) or not value or len(value) > 200 or "/" in value
            or not value.isprintable() or value != value.strip()):
        raise ValidationError(
            f"{field_name} must be a non-empty printable name without '/' (max 200 characters)")
