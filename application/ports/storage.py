"""Ports: where artifacts and run logs are kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, Protocol, Sequence


class ArtifactStore(Protocol):
    """Content is addressed by key (`<org_id>/<flow_name>/<code_hash>.zip`).

    `put` returns the artifact URI (`file://...` or `s3://bucket/key`); `get` takes a URI
    this store returned and raises `NotFoundError` (dagy.domain.catalog) when it is absent.

    `presign_upload` is an optional capability: a store clients can write to directly
    answers `{"upload_url", "artifact_uri", "method": "PUT", "headers": {...}}` (the URI is
    what `put` would return for `key`; the PUT must carry `headers`); a store that takes
    uploads only through the API answers None. With `sha256` (64 hex digits) the store
    may refuse bytes with another digest.

    `put_file` and `get_file` move an artifact between the store and a binary file
    without holding it in memory (the in-memory store holds everything by nature).
    """

    def put(self, key: str, data: bytes) -> str: ...
    def get(self, uri: str) -> bytes: ...

    def put_file(self, key: str, file: BinaryIO) -> str:
        """Store the bytes of `file` from its current position to its end under `key`,
        reading it in chunks; same URI, key rules and atomicity as `put` (a reader sees
        the old content or the new, never part of it)."""
        ...

    def get_file(self, uri: str, file: BinaryIO) -> None:
        """Write the artifact's bytes into `file` (at its current position), in chunks;
        `NotFoundError` when absent, like `get`."""
        ...

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
