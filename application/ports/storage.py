"""Ports: where artifacts and run logs are kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, Sequence


class ArtifactStore(Protocol):
    """Content is addressed by key (`<org_id>/<flow_name>/<code_hash>.zip`).

    `put` returns the artifact URI (`file://...` or `s3://bucket/key`); `get` takes a URI
    this store returned and raises `NotFoundError` (domain.catalog) when it is absent.

    `presign_upload` is an optional capability: a store clients can write to directly
    answers `{"upload_url", "artifact_uri", "method": "PUT", "headers": {...}}` (the URI is
    what `put` would return for `key`; the PUT must carry `headers`); a store that takes
    uploads only through the API answers None. With `sha256` (64 hex digits) the store
    may refuse bytes with another digest.
    """

    def put(self, key: str, data: bytes) -> str: ...
    def get(self, uri: str) -> bytes: ...
    def exists(self, uri: str) -> bool: ...
    def presign_upload(self, key: str, expires_seconds: int = 900, *,
                       sha256: str | None = None) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class LogLine:
    timestamp: datetime
    message: str
    level: str = "INFO"
    task_run_id: str | None = None


class LogSink(Protocol):
    """Logs of a run, under group `/dagy/<flow_name>` and stream
    `<run_slug>/<version>/<run_id>`. `read` returns lines in write order with a cursor."""

    def write(self, org_id: str, group: str, stream: str, run_id: str,
              lines: Sequence[LogLine]) -> None: ...

    def read(self, org_id: str, run_id: str, *, limit: int = 1000,
             cursor: str | None = None) -> tuple[list[LogLine], str | None]: ...


def log_group(flow_name: str) -> str:
    return f"/dagy/{flow_name}"


def log_stream(run_slug: str, flow_version: str, run_id: str) -> str:
    return f"{run_slug}/{flow_version}/{run_id}"
