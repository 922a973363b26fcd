"""What an artifact's manifest must say, and how its code hash is recomputed (pure rules).

The one owner of "this artifact's code hash": the SDK's `LocalArtifact.verify`, the
server's upload and register checks and the worker's cache check all call
`artifact_code_hash`, so a build, an upload and a run can never disagree on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from dagy.domain.artifact_limits import ArtifactRejected, entry_problem
from dagy.domain.code_hash import compute_code_hash

SPEC_ENTRY = "flow_spec.json"
MANIFEST_ENTRY = "manifest.json"
MAX_MANIFEST_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Manifest:
    flow_name: str
    flow_version: str
    code_hash: str
    entrypoint: str
    sources: tuple[str, ...]
    raw: dict[str, Any]

    @property
    def module(self) -> str:
        return self.entrypoint.partition(":")[0]

    @property
    def attribute(self) -> str:
        return self.entrypoint.partition(":")[2]


def parse_manifest(data: bytes) -> Manifest:
    """A manifest.json the server can rely on, or ArtifactRejected saying what is wrong."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ArtifactRejected(f"artifact {MANIFEST_ENTRY} is not valid JSON") from None
    if not isinstance(raw, dict):
        raise ArtifactRejected(f"artifact {MANIFEST_ENTRY} must be a JSON object")
    for name in ("flow_name", "flow_version", "code_hash", "entrypoint"):
        if not isinstance(raw.get(name), str) or not raw[name]:
            raise ArtifactRejected(f"artifact {MANIFEST_ENTRY} lacks the string field {name!r}")
    sources = raw.get("sources")
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ArtifactRejected(f"artifact {MANIFEST_ENTRY} field 'sources' must be a list of paths")
    for source in sources:
        problem = entry_problem(source)
        if problem or source in (SPEC_ENTRY, MANIFEST_ENTRY):
            raise ArtifactRejected(f"artifact {MANIFEST_ENTRY} lists a bad source: "
                                   f"{problem or source}")
    parse_entrypoint(raw["entrypoint"])
    return Manifest(raw["flow_name"], raw["flow_version"], raw["code_hash"], raw["entrypoint"],
                    tuple(sources), raw)


def parse_entrypoint(value: Any) -> tuple[str, str]:
    """`package.module:attribute`, every part a Python identifier: nothing that could name
    a path (absolute, `..`, separators) outside the artifact."""
    if not isinstance(value, str):
        raise ArtifactRejected("manifest entrypoint must be a string 'module:attribute'")
    module, sep, attribute = value.partition(":")
    parts = module.split(".")
    if (not sep or not attribute.isidentifier() or not all(p.isidentifier() for p in parts)
            or not value.isascii()):
        raise ArtifactRejected(
            f"manifest entrypoint {value!r} must be 'dotted.module:attribute' made of Python "
            "identifiers (no paths)")
    return module, attribute


def module_files(module: str) -> tuple[str, str]:
    """The two archive paths the entrypoint module may live at (module, then package)."""
    base = module.replace(".", "/")
    return f"{base}.py", f"{base}/__init__.py"


def artifact_code_hash(spec_entry: bytes, sources: Iterable[str],
                       read: Callable[[str], bytes]) -> str:
    """The code hash of an artifact: its spec (normalized) and every source its manifest
    lists, each read through `read(archive path)`."""
    from dagy.domain.flowspec import FlowSpec

    spec = FlowSpec.from_json(spec_entry.decode("utf-8"))
    return compute_code_hash(spec.to_json(), {name: read(name) for name in sources})
