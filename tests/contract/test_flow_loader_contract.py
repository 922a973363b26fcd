"""The FlowLoader contract (application/ports/flow_loader.py), on every adapter.

Adapters: ArtifactFlowLoader over the in-memory and the local artifact stores (a real
artifact ZIP built by `build_artifact`, stored under its org's key), and
InMemoryFlowLoader (plans registered by flow name and code hash). Contract: a published
flow loads to an ExecutionPlan whose spec is the record's; loads are repeatable (the
same plan, from the cache) and org-scoped; a missing flow and a record naming other code
raise a DagyError, and so do (capability `reads_artifacts`) tampered artifact bytes and
an entrypoint that is not a flow.
"""

from __future__ import annotations

import importlib
import io
import json
import sys
import textwrap
import uuid
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from dagy.adapters.compute.artifact_loader import ArtifactFlowLoader
from dagy.adapters.local.artifacts import LocalArtifactStore
from dagy.adapters.memory.artifacts import InMemoryArtifactStore
from dagy.adapters.memory.flow_loader import InMemoryFlowLoader
from dagy.application.plan import ExecutionPlan
from dagy.artifacts import build_artifact
from dagy.domain.artifact_manifest import MANIFEST_ENTRY, SPEC_ENTRY
from dagy.domain.catalog import FlowRecord
from dagy.domain.errors import DagyError
from dagy.domain.flowspec import FlowSpec
from greeter_flow import GREETER

MODULE = "contract_greeter"  # every published flow uses this module name: isolation matters
SOURCE = GREETER + "\nnot_a_flow = 42\n"  # the greeter flow, plus an entrypoint that is no flow


@contextmanager
def imported_flow(folder: Path, marker: str) -> Iterator[Any]:
    """The flow object of SOURCE with `marker`, imported from its own folder; its module
    is importable only inside the block (build_artifact reads it from sys.modules)."""
    folder.mkdir(parents=True)
    (folder / f"{MODULE}.py").write_text(textwrap.dedent(SOURCE.format(marker=marker)))
    sys.path.insert(0, str(folder))
    sys.modules.pop(MODULE, None)
    importlib.invalidate_caches()
    try:
        yield importlib.import_module(MODULE).greeter
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(MODULE, None)


def record(org_id: str, spec: FlowSpec, artifact_uri: str, code_hash: str) -> FlowRecord:
    return FlowRecord(org_id=org_id, flow_name="greeter", flow_version="1.0.0",
                      flow_spec=spec, artifact_uri=artifact_uri, code_hash=code_hash)


def sha256(data: bytes) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()


@dataclass
class ArtifactHarness:
    """Publishing = building the artifact and storing it as registration would."""
    store: Any
    tmp: Path
    reads_artifacts: bool = True
    loader: Any = field(init=False)

    def __post_init__(self) -> None:
        self.loader = ArtifactFlowLoader(self.store, self.tmp / "cache")

    def publish(self, org_id: str, marker: str) -> FlowRecord:
        with imported_flow(self.tmp / f"src-{uuid.uuid4().hex[:8]}", marker) as flow_obj:
            built = build_artifact(flow_obj,
                                   output_dir=self.tmp / f"dist-{uuid.uuid4().hex[:8]}")
        return self.store_zip(org_id, built.path.read_bytes(), built.code_hash)

    def store_zip(self, org_id: str, data: bytes, code_hash: str,
                  named_sha: str | None = None) -> FlowRecord:
        uri = self.store.put(f"{org_id}/greeter/{named_sha or sha256(data)}.zip", data)
        spec = json.loads(_entry(data, SPEC_ENTRY))
        return record(org_id, FlowSpec.from_dict(spec), uri, code_hash)

    def missing(self, org_id: str) -> FlowRecord:
        """A record of a well-formed artifact name that nothing was stored under."""
        good = self.publish(org_id, "hello")
        sha = good.artifact_uri.rsplit("/", 1)[-1][:-4]
        return record(org_id, good.flow_spec,
                      good.artifact_uri.replace(sha, "0" * 64), good.code_hash)

    def tamper(self, good: FlowRecord) -> None:
        """Other bytes under the good artifact's name (the name is their SHA-256)."""
        data = self.store.get(good.artifact_uri)
        self.store_zip(good.org_id, data + b"\0", good.code_hash,
                       named_sha=good.artifact_uri.rsplit("/", 1)[-1][:-4])

    def fresh_loader(self) -> ArtifactFlowLoader:
        """Another process's loader: the same store, a cache of its own."""
        return ArtifactFlowLoader(self.store, self.tmp / f"cache-{uuid.uuid4().hex[:8]}")

    def not_a_flow(self, good: FlowRecord) -> FlowRecord:
        """The good artifact with its manifest's entrypoint naming a plain value (same
        sources and spec, so the same code hash)."""
        data = self.store.get(good.artifact_uri)
        manifest = json.loads(_entry(data, MANIFEST_ENTRY))
        manifest["entrypoint"] = f"{MODULE}:not_a_flow"
        rebuilt = _replace_entry(data, MANIFEST_ENTRY, json.dumps(manifest).encode())
        return self.store_zip(good.org_id, rebuilt, good.code_hash)


def _entry(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def _replace_entry(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()


@dataclass
class MemoryHarness:
    """Publishing = registering the imported flow's plan under its name and code hash."""
    tmp: Path
    reads_artifacts: bool = False
    loader: InMemoryFlowLoader = field(default_factory=InMemoryFlowLoader)

    def publish(self, org_id: str, marker: str) -> FlowRecord:
        with imported_flow(self.tmp / f"src-{uuid.uuid4().hex[:8]}", marker) as flow_obj:
            pass
        code_hash = sha256(f"{org_id}/{marker}".encode())
        self.loader.register(flow_obj.name, code_hash, flow_obj.plan)
        return record(org_id, flow_obj.spec, f"memory://{org_id}/greeter",
                      code_hash)

    def missing(self, org_id: str) -> FlowRecord:
        return FlowRecord(org_id=org_id, flow_name="nobody", flow_version="1",
                          flow_spec=FlowSpec("nobody", version="1"), artifact_uri="memory://x",
                          code_hash="c" * 64)



HARNESSES: dict[str, Callable[[Path], Any]] = {
    "artifact-memory-store": lambda tmp: ArtifactHarness(InMemoryArtifactStore(), tmp),
    "artifact-local-store": lambda tmp: ArtifactHarness(LocalArtifactStore(tmp / "store"), tmp),
    "memory": lambda tmp: MemoryHarness(tmp),
}


@pytest.fixture(params=sorted(HARNESSES))
def harness(request, tmp_path):
    return HARNESSES[request.param](tmp_path)


def greeting(plan: ExecutionPlan) -> str:
    [task] = plan.tasks.values()
    return task.fn("ada")


def without_functions(spec: FlowSpec) -> dict[str, Any]:
    """The spec but each task's `function` (the import path it was traced under, which
    for an artifact is the loader's private module name)."""
    data = spec.to_dict()
    data["tasks"] = [{k: v for k, v in task.items() if k != "function"}
                     for task in data["tasks"]]
    return data


def test_a_published_flow_loads_to_a_plan_with_the_records_spec(harness):
    flow = harness.publish("org-a", "hello")
    plan = harness.loader.load(flow)
    assert isinstance(plan, ExecutionPlan)
    assert without_functions(plan.spec) == without_functions(
        flow.flow_spec)
    assert plan.spec.name == "greeter" and greeting(plan) == "hello ada"


def test_loads_are_repeatable_and_served_from_the_cache(harness):
    flow = harness.publish("org-a", "hello")
    first = harness.loader.load(flow)
    assert harness.loader.load(flow) is first
    assert harness.loader.load(FlowRecord(**{**vars(flow)})) is first  # an equal record


def test_a_missing_flow_raises_a_dagy_error(harness):
    with pytest.raises(DagyError):
        harness.loader.load(harness.missing("org-a"))


def test_a_record_naming_other_code_raises_even_after_a_good_load(harness):
    """The cache answers only for the code hash it loaded: a record of the same flow and
    artifact that names other code is refused, and the good record still loads."""
    good = harness.publish("org-a", "hello")
    harness.loader.load(good)
    other = record(good.org_id, good.flow_spec, good.artifact_uri, "d" * 64)
    with pytest.raises(DagyError):
        harness.loader.load(other)
    assert greeting(harness.loader.load(good)) == "hello ada"


def test_tampered_artifact_bytes_are_refused(harness):
    if not harness.reads_artifacts:
        pytest.skip("this loader reads no artifact: plans are registered in-process")
    good = harness.publish("org-a", "hello")
    harness.tamper(good)
    with pytest.raises(DagyError, match="does not hold the bytes"):
        harness.fresh_loader().load(good)


def test_an_entrypoint_that_is_not_a_flow_raises_a_dagy_error(harness):
    if not harness.reads_artifacts:
        pytest.skip("this loader imports nothing: plans are registered, not entrypoints")
    good = harness.publish("org-a", "hello")
    with pytest.raises(DagyError, match="not a flow"):
        harness.loader.load(harness.not_a_flow(good))


def test_loads_are_org_scoped(harness):
    """Two orgs publish a flow of the same name and module with different code: each
    load answers its own org's code, in either order and again from the cache."""
    flow_a, flow_b = harness.publish("org-a", "hello"), harness.publish("org-b", "pwned")
    assert greeting(harness.loader.load(flow_b)) == "pwned ada"
    assert greeting(harness.loader.load(flow_a)) == "hello ada"
    assert greeting(harness.loader.load(flow_b)) == "pwned ada"
    assert MODULE not in sys.modules
