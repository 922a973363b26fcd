"""The identity of a build: one SHA-256 over a flow's spec and its source files.

Two builds of the same code get the same hash and any change to the spec or to a
single byte of a source file gives a new one, so the hash can key deployments and
caches. Every field is length-prefixed, so no two different inputs can produce the
same byte stream by moving bytes between a path, its content, or the spec.
"""

from __future__ import annotations

import hashlib
from typing import Mapping

_DOMAIN_TAG = b"dagy-code-hash-v1"


def _field(digest: "hashlib._Hash", data: bytes) -> None:
    digest.update(len(data).to_bytes(8, "big"))
    digest.update(data)


def compute_code_hash(spec_json: str, sources: Mapping[str, bytes]) -> str:
    """Hex SHA-256 of `spec_json` and `sources` ({archive path: file bytes}).

    Sources are hashed in sorted path order, so dict insertion order does not matter.
    """
    digest = hashlib.sha256()
    _field(digest, _DOMAIN_TAG)
    _field(digest, spec_json.encode("utf-8"))
    digest.update(len(sources).to_bytes(8, "big"))
    for path in sorted(sources):
        content = sources[path]
        if not isinstance(content, (bytes, bytearray, memoryview)):
            raise TypeError(f"source {path!r} must be bytes, got {type(content).__name__}")
        _field(digest, path.encode("utf-8"))
        _field(digest, bytes(content))
    return digest.hexdigest()
