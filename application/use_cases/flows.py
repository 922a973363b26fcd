"""Artifacts and flow registration (immutable per name + version)."""

from __future__ import annotations

import io
import re
import tempfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, BinaryIO, Iterator

from dagy.application.artifact_zip import ArtifactContents, inspect_artifact
from dagy.application import audit_trail
from dagy.application.audit_views import flow_view
from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.domain.artifact_limits import ArtifactRejected
from dagy.domain.catalog import FlowRecord
from dagy.domain.errors import ConflictError, DagyError, NotFoundError, ValidationError
from dagy.domain.flowspec import FlowSpec
from dagy.domain.tiers import parse_executor

MAX_ARTIFACT_BYTES = 250 * 1024 * 1024
PRESIGN_EXPIRES_SECONDS = 15 * 60
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class InvalidArtifactError(ArtifactRejected):
    pass


def upload_artifact(deps: Deps, principal: Principal, data: bytes | BinaryIO,
                    flow_name: str) -> str:
    """store_artifact, answering only the artifact URI."""
    return store_artifact(deps, principal, data, flow_name).uri


@dataclass(frozen=True)
class StoredArtifact:
    uri: str
    sha256: str
    size: int
    code_hash: str


def store_artifact(deps: Deps, principal: Principal, data: bytes | BinaryIO,
                   flow_name: str, code_hash: str | None = None, *,
                   sha256: str | None = None) -> StoredArtifact:
    """Check a flow ZIP completely (limits, manifest, code hash) and store it
    content-addressed by its SHA-256.

    `data` is the ZIP's bytes or a seekable binary file holding them (read in chunks, so
    an upload spooled to disk stays on disk). A `code_hash` the client claims must be
    the one recomputed from the ZIP; `sha256` is the digest the server itself took while
    the bytes streamed in (saves reading them once more)."""
    check_name(flow_name, "flow_name")
    with _seekable(data) as file:
        size = file.seek(0, 2)
        file.seek(0)
        if not size or size > MAX_ARTIFACT_BYTES:
            raise InvalidArtifactError("artifact must be a non-empty ZIP under 250 MB")
        contents = inspect_artifact(file, deps.artifact_limits, sha256=sha256)
        _check_claim("code_hash", code_hash, contents.code_hash)
        file.seek(0)
        uri = deps.artifacts.put_file(artifact_key(principal.org_id, flow_name,
                                                   contents.sha256), file)
    stored = StoredArtifact(uri, contents.sha256, contents.size, contents.code_hash)
    with deps.uow() as uow:  # content-addressed: an upload whose entry failed is harmless
        audit_trail.record(uow, deps, principal, "artifact.upload", "artifact", uri,
                           after={"flow_name": flow_name, **asdict(stored)})
        uow.commit()
    return stored


@contextmanager
def _seekable(data: bytes | BinaryIO) -> Iterator[BinaryIO]:
    if isinstance(data, (bytes, bytearray, memoryview)):
        yield io.BytesIO(bytes(data))
    else:
        yield data


def _check_claim(what: str, claimed: Any, derived: Any) -> None:
    """A value the client sent about an artifact must be what the server derived."""
    if claimed is not None and claimed != derived:
        shown = f" ({derived})" if isinstance(derived, str) else ""
        raise ValidationError(f"{what} does not match the artifact: the server derives it from "
                              f"the stored ZIP{shown}; send that value or omit it")


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
    """`flow_spec` and `code_hash` are optional: the server derives both from the stored
    ZIP, and a value sent that differs from the derived one is refused."""

    flow_name: str
    flow_version: str
    flow_spec: dict[str, Any] | None
    artifact_uri: str
    code_hash: str | None = None
    namespace: str = "default"
    tags: dict[str, str] = field(default_factory=dict)
    default_executor: str | None = None


def register_flow(deps: Deps, principal: Principal, cmd: RegisterFlow) -> tuple[FlowRecord, bool]:
    """Register a version from what its stored artifact says it is. Same version + same
    code_hash: the stored one (created=False); same version + other code_hash: ConflictError."""
    check_name(cmd.flow_name, "flow_name")
    auto = cmd.flow_version in (None, "", "latest")
    if not auto:
        check_name(cmd.flow_version, "flow_version")
    if cmd.namespace is not None and not (isinstance(cmd.namespace, str)
                                          and cmd.namespace.isprintable()):
        raise ValidationError("namespace must be printable text")
    claimed = FlowSpec.from_dict(cmd.flow_spec) if cmd.flow_spec is not None else None
    executor = parse_executor(cmd.default_executor)
    sha256 = _owned_artifact(cmd.artifact_uri, principal.org_id, cmd.flow_name)
    if sha256 is None:
        raise ValidationError("artifact_uri must be an artifact uploaded by this organization "
                              "for this flow (POST /artifacts)")
    if not deps.artifacts.exists(cmd.artifact_uri):
        raise NotFoundError(f"artifact {cmd.artifact_uri} does not exist")
    contents = stored_contents(deps, cmd.artifact_uri, sha256)
    spec = contents.spec
    if spec.name != cmd.flow_name:
        raise ValidationError(f"the artifact's flow is {spec.name!r}, not flow_name "
                              f"{cmd.flow_name!r}")
    _check_claim("code_hash", cmd.code_hash, contents.code_hash)
    _check_claim("flow_spec", claimed and claimed.to_dict(), spec.to_dict())
    now = deps.clock.now()
    if auto:
        return _register_auto(deps, principal, cmd, spec, contents.code_hash, executor, now)
    with deps.uow() as uow:
        existing = uow.flows.get(principal.org_id, cmd.flow_name, cmd.flow_version)
        if existing is not None:
            if existing.code_hash == contents.code_hash:
                return existing, False
            raise ConflictError(
                f"flow {cmd.flow_name!r} version {cmd.flow_version!r} is already registered "
                "with different code; register a new version")
        record = FlowRecord(principal.org_id, cmd.flow_name, cmd.flow_version,
                            spec, cmd.artifact_uri,
                            contents.code_hash, cmd.namespace or "default",
                            dict(cmd.tags or {}), executor, "ACTIVE", now, now)
        uow.flows.add(record)
        audit_trail.record(uow, deps, principal, "flow.register", "flow", cmd.flow_name,
                           after=flow_view(record))
        uow.commit()
    return record, True


AUTO_VERSION_ATTEMPTS = 5


def _register_auto(deps: Deps, principal: Principal, cmd: RegisterFlow, spec: FlowSpec,
                   code_hash: str, executor: Any, now: Any) -> tuple[FlowRecord, bool]:
    """No explicit version: code already registered under this flow answers its version
    (created=False); new code gets the next number ("1", "2", ...) per flow in the org.
    Two registrations racing for one number meet the (org, flow, version) unique key;
    the loser reads again and takes the next number (bounded retries)."""
    for _ in range(AUTO_VERSION_ATTEMPTS):
        try:
            with deps.uow() as uow:
                versions = uow.flows.versions(principal.org_id, cmd.flow_name)
                for existing in versions:
                    if existing.code_hash == code_hash:
                        return existing, False
                numbers = [int(v.flow_version) for v in versions if v.flow_version.isdigit()]
                record = FlowRecord(principal.org_id, cmd.flow_name,
                                    str(max(numbers, default=0) + 1), spec, cmd.artifact_uri,
                                    code_hash, cmd.namespace or "default",
                                    dict(cmd.tags or {}), executor, "ACTIVE", now, now)
                uow.flows.add(record)
                audit_trail.record(uow, deps, principal, "flow.register", "flow",
                                   cmd.flow_name, after=flow_view(record))
                uow.commit()
        except ConflictError:
            continue
        return record, True
    raise ConflictError(f"flow {cmd.flow_name!r}: could not take a new version number after "
                        f"{AUTO_VERSION_ATTEMPTS} attempts (concurrent registrations); retry")


def stored_contents(deps: Deps, uri: str, sha256: str) -> ArtifactContents:
    """Read a stored artifact back (spooled to a temporary file) and check it whole: its
    bytes must hash to the SHA-256 its key names (a presigned upload bypassed the API)."""
    with tempfile.TemporaryFile(prefix="dagy-artifact-") as file:
        deps.artifacts.get_file(uri, file)
        contents = inspect_artifact(file, deps.artifact_limits)
    if contents.sha256 != sha256:
        raise InvalidArtifactError(f"artifact {uri} does not hold the bytes its name says: its "
                                   f"SHA-256 is {contents.sha256}; upload the ZIP again")
    return contents


def _owned_artifact(uri: str, org_id: str, flow_name: str) -> str | None:
    """The SHA-256 in `<...>/<org_id>/<flow_name>/<sha256>.zip` (the key every store
    ends its URIs with) when the URI is this org's artifact of this flow, else None."""
    if not isinstance(uri, str):
        return None
    parts = uri.rsplit("/", 3)
    if (len(parts) == 4 and parts[1] == org_id and parts[2] == flow_name
            and parts[3].endswith(".zip") and _SHA256_HEX.fullmatch(parts[3][:-4])):
        return parts[3][:-4]
    return None


def get_flow_versions(deps: Deps, principal: Principal, flow_name: str) -> list[FlowRecord]:
    with deps.uow() as uow:
        versions = uow.flows.versions(principal.org_id, flow_name)
    if not versions:
        raise NotFoundError(f"flow {flow_name!r} not found")
    return versions


def get_flow_version(deps: Deps, principal: Principal, flow_name: str, version: str) -> FlowRecord:
    """One registered version; "latest" names the newest one (see resolve_version)."""
    with deps.uow() as uow:
        return resolve_version(uow, principal.org_id, flow_name, version)


def list_flows(deps: Deps, principal: Principal, *, namespace_prefix: str | None = None,
               tags: dict[str, str] | None = None, limit: int = 50,
               cursor: str | None = None) -> tuple[list[FlowRecord], str | None]:
    """The latest version of each flow, by name, one page at a time. `namespace_prefix`
    matches a namespace and its sub-namespaces; `tags` must all match."""
    with deps.uow() as uow:
        return uow.flows.list(principal.org_id, namespace_prefix=namespace_prefix,
                              tags=tags or None, limit=limit, cursor=cursor)


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
