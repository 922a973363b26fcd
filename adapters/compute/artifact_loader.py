"""ArtifactFlowLoader: fetch a flow's ZIP, extract it once (artifact_cache), import it in isolation.

The manifest's entrypoint is imported under a private module name, and only from a file
that really lies inside the extracted artifact (dotted identifiers, real path checked, so
no absolute path or symlink can lead the import elsewhere). Modules the import added from
that directory are then removed from `sys.modules`, so two artifacts that both ship
`my_flows.py` never see each other's code.

Loaded plans are kept in memory keyed by org, ZIP SHA-256 and flow name, together with the
code hash they were loaded for; a plan is reused only for a flow with that same code hash.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from dagy.adapters.compute.artifact_cache import ExtractedArtifacts, FlowLoadError, artifact_identity
from dagy.domain.artifact_limits import ArtifactLimits, ArtifactRejected
from dagy.domain.artifact_manifest import MANIFEST_ENTRY, module_files, parse_manifest
from dagy.domain.catalog import FlowRecord

__all__ = ["ArtifactFlowLoader", "FlowLoadError"]

_IMPORT_LOCK = threading.Lock()


class ArtifactFlowLoader:
    def __init__(self, artifacts: Any, cache_dir: Path, max_cached_plans: int = 64,
                 limits: ArtifactLimits | None = None) -> None:
        self.artifacts = artifacts
        self.cache_dir = Path(cache_dir)
        self.extracted = ExtractedArtifacts(artifacts, self.cache_dir, limits or ArtifactLimits())
        self.max_cached = max_cached_plans
        self._plans: OrderedDict[tuple[str, str, str], tuple[str, Any]] = OrderedDict()

    def load(self, flow: FlowRecord) -> Any:
        key = (*artifact_identity(flow), flow.flow_name)
        with _IMPORT_LOCK:
            cached = self._plans.get(key)
            if cached is not None and cached[0] == flow.code_hash:
                self._plans.move_to_end(key)
                return cached[1]
            plan = self._import_plan(flow)
            self._plans[key] = (flow.code_hash, plan)
            self._plans.move_to_end(key)
            while len(self._plans) > self.max_cached:
                self._plans.popitem(last=False)
        return plan

    def extracted_dir(self, flow: FlowRecord) -> Path:
        """The flow's artifact unpacked and verified (see artifact_cache)."""
        return self.extracted.directory(flow)

    def _import_plan(self, flow: FlowRecord) -> Any:
        root = self.extracted_dir(flow)
        try:
            manifest = parse_manifest((root / MANIFEST_ENTRY).read_bytes())
        except (OSError, ArtifactRejected) as exc:
            raise FlowLoadError(f"artifact manifest cannot be used: {exc}") from None
        file = _entrypoint_file(root, manifest.module)
        before = set(sys.modules)
        sys.path.insert(0, str(root))
        org_id, sha256 = artifact_identity(flow)
        private = (f"_dagy_artifact_{org_id[:12]}_{sha256[:16]}_"
                   f"{manifest.module.replace('.', '_')}")
        try:
            spec = importlib.util.spec_from_file_location(private, file)
            module = importlib.util.module_from_spec(spec)
            sys.modules[private] = module
            spec.loader.exec_module(module)
            flow_obj = getattr(module, manifest.attribute, None)
            if flow_obj is None or not hasattr(flow_obj, "plan"):
                raise FlowLoadError(f"{manifest.entrypoint} is not a flow")
            return flow_obj.plan
        except FlowLoadError:
            raise
        except Exception as exc:
            raise FlowLoadError(f"importing {manifest.entrypoint} failed: "
                                f"{type(exc).__name__}: {exc}") from None
        finally:
            sys.path.remove(str(root))
            for name in set(sys.modules) - before:
                origin = getattr(sys.modules[name], "__file__", None) or ""
                if name == private or origin.startswith(str(root)):
                    sys.modules.pop(name, None)


def _entrypoint_file(root: Path, module: str) -> Path:
    """The entrypoint module's file, provided its real path is inside the artifact."""
    real_root = root.resolve()
    plain, package = module_files(module)
    for relative in (package, plain):  # a package wins over a module, as in Python
        path = root.joinpath(*relative.split("/"))
        if not (path.is_file() or path.is_symlink()):
            continue
        real = path.resolve()
        if not real.is_relative_to(real_root) or not real.is_file():
            raise FlowLoadError(f"manifest entrypoint module {module!r} resolves outside the "
                                f"artifact ({real})")
        return real
    raise FlowLoadError(f"manifest entrypoint module {module!r} is not in the artifact")
