"""ArtifactFlowLoader: fetch a flow's ZIP, extract it once per code_hash, import it in isolation.

Each artifact is extracted to `<cache>/<code_hash>/` (atomically: extract to a temp dir,
then rename) and its entrypoint imported under a private module name. Modules the import
added from that directory are then removed from `sys.modules`, so two artifacts that
both ship `my_flows.py` never see each other's code.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import sys
import tempfile
import threading
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

from domain.catalog import FlowRecord
from domain.errors import DagyError


class FlowLoadError(DagyError):
    pass


_IMPORT_LOCK = threading.Lock()


class ArtifactFlowLoader:
    def __init__(self, artifacts: Any, cache_dir: Path, max_cached_plans: int = 64) -> None:
        self.artifacts = artifacts
        self.cache_dir = Path(cache_dir)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.max_cached = max_cached_plans
        self._plans: OrderedDict[tuple[str, str], Any] = OrderedDict()

    def load(self, flow: FlowRecord) -> Any:
        key = (flow.code_hash, flow.flow_name)
        with _IMPORT_LOCK:
            plan = self._plans.get(key)
            if plan is None:
                plan = self._import_plan(flow)
                self._plans[key] = plan
                while len(self._plans) > self.max_cached:
                    self._plans.popitem(last=False)
            else:
                self._plans.move_to_end(key)
        return plan

    def extracted_dir(self, flow: FlowRecord) -> Path:
        if not flow.code_hash.isalnum():
            raise FlowLoadError(f"invalid code_hash {flow.code_hash!r}")
        target = self.cache_dir / flow.code_hash
        if target.is_dir():
            return target
        data = self.artifacts.get(flow.artifact_uri)
        tmp = Path(tempfile.mkdtemp(dir=self.cache_dir, prefix=".extract-"))
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for name in archive.namelist():
                    if name.startswith("/") or ".." in Path(name).parts:
                        raise FlowLoadError(f"artifact entry {name!r} escapes its directory")
                archive.extractall(tmp)
            try:
                os.rename(tmp, target)
            except OSError:  # another worker extracted it first
                shutil.rmtree(tmp, ignore_errors=True)
        except (zipfile.BadZipFile, OSError) as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise FlowLoadError(f"cannot extract artifact {flow.artifact_uri}: {exc}") from None
        return target

    def _import_plan(self, flow: FlowRecord) -> Any:
        root = self.extracted_dir(flow)
        manifest = json.loads((root / "manifest.json").read_text())
        module_name, _, attribute = manifest["entrypoint"].partition(":")
        path = root.joinpath(*module_name.split("."))
        file = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        if not file.is_file():
            raise FlowLoadError(f"artifact has no module {module_name!r}")
        before = set(sys.modules)
        sys.path.insert(0, str(root))
        private = f"_dagy_artifact_{flow.code_hash[:16]}_{module_name.replace('.', '_')}"
        try:
            spec = importlib.util.spec_from_file_location(private, file)
            module = importlib.util.module_from_spec(spec)
            sys.modules[private] = module
            spec.loader.exec_module(module)
            flow_obj = getattr(module, attribute, None)
            if flow_obj is None or not hasattr(flow_obj, "plan"):
                raise FlowLoadError(f"{manifest['entrypoint']} is not a flow")
            return flow_obj.plan
        except FlowLoadError:
            raise
        except Exception as exc:
            raise FlowLoadError(f"importing {manifest['entrypoint']} failed: "
                                f"{type(exc).__name__}: {exc}") from None
        finally:
            sys.path.remove(str(root))
            for name in set(sys.modules) - before:
                origin = getattr(sys.modules[name], "__file__", None) or ""
                if name == private or origin.startswith(str(root)):
                    sys.modules.pop(name, None)
