"""Artifact ZIPs for tests: real builds of a flow, and crafted variants of them.

`built_zip` is what `dagy build` produces; `entries_of`/`zip_of` take one apart and put
it back together (edited sources, a rewritten manifest, sealed again or not), so tests can
make the ZIPs an attacker would send.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from typing import Any

from dagy.artifacts import build_artifact
from dagy.domain.artifact_manifest import MANIFEST_ENTRY, SPEC_ENTRY, artifact_code_hash


def built_zip(flow_obj: Any) -> tuple[bytes, str]:
    """(ZIP bytes, code hash) of a real build of `flow_obj`."""
    with tempfile.TemporaryDirectory(prefix="dagy-test-build-") as tmp:
        artifact = build_artifact(flow_obj, output_dir=tmp)
        return artifact.path.read_bytes(), artifact.code_hash


def spec_only_zip(flow_obj: Any) -> tuple[bytes, str]:
    """(ZIP bytes, code hash) of a valid artifact carrying `flow_obj`'s spec and a stub
    module: for tests whose flow loader holds plans in memory and never imports it."""
    entries = {"flow_stub.py": f"# {flow_obj.name}\n".encode(),
               SPEC_ENTRY: flow_obj.spec.to_json(indent=2).encode()}
    manifest = {"flow_name": flow_obj.name, "flow_version": str(flow_obj.version),
                "code_hash": "", "entrypoint": "flow_stub:flow", "build_id": "test",
                "sources": ["flow_stub.py"]}
    entries = sealed({**entries, MANIFEST_ENTRY: json.dumps(manifest).encode()})
    return zip_of(entries), manifest_of(entries)["code_hash"]


def entries_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_of(entries: dict[str, bytes]) -> dict[str, Any]:
    return json.loads(entries[MANIFEST_ENTRY])


def with_manifest(entries: dict[str, bytes], **fields: Any) -> dict[str, bytes]:
    return {**entries, MANIFEST_ENTRY: json.dumps({**manifest_of(entries), **fields}).encode()}


def sealed(entries: dict[str, bytes]) -> dict[str, bytes]:
    """The manifest's code_hash recomputed over the (edited) spec and sources."""
    manifest = manifest_of(entries)
    code_hash = artifact_code_hash(entries[SPEC_ENTRY], manifest["sources"], entries.__getitem__)
    return with_manifest(entries, code_hash=code_hash)


def zip_of(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()
