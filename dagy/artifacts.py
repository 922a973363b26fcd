"""Build a flow into a self-contained, reproducible zip that a worker can import and run.

The zip holds the flow's sources at their import paths, vendored requirements,
`flow_spec.json` and `manifest.json`. `code_hash` covers only the spec and the
sources: unchanged code rebuilds to the same hash, any edit gives a new one. Heavier
modules are imported inside functions so that `import dagy` stays fast.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from dagy.domain.errors import DagyError

if TYPE_CHECKING:
    from dagy.domain.flowspec import FlowSpec

SPEC_ENTRY = "flow_spec.json"
MANIFEST_ENTRY = "manifest.json"
ARTIFACT_FILENAME = "artifact.zip"
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# The runtime provides these; a flow project never ships its own copy of them.
_PLATFORM_PACKAGES = {"dagy", "domain", "application", "adapters", "entrypoints"}
_PLATFORM_ROOT = Path(__file__).resolve().parents[1]


class ArtifactError(DagyError):
    """An artifact zip is missing, unreadable, or not a Dagy artifact."""


class ArtifactBuildError(ArtifactError):
    """A flow could not be built into an artifact."""


@dataclass(frozen=True)
class LocalArtifact:
    """A built artifact on local disk and the manifest stored inside it."""

    path: Path
    code_hash: str
    flow_name: str
    flow_version: str
    build_id: str
    manifest: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> "LocalArtifact":
        """Read an artifact's manifest back from its zip."""
        import json

        manifest = json.loads(_read_entry(Path(path), MANIFEST_ENTRY))
        try:
            return cls(path=Path(path), code_hash=manifest["code_hash"],
                       flow_name=manifest["flow_name"], flow_version=manifest["flow_version"],
                       build_id=manifest["build_id"], manifest=manifest)
        except (KeyError, TypeError) as exc:
            raise ArtifactError(f"{path}: {MANIFEST_ENTRY} lacks field {exc}") from None

    def read_spec(self) -> "FlowSpec":
        """The FlowSpec stored in the artifact."""
        from dagy.domain.flowspec import FlowSpec
        return FlowSpec.from_json(_read_entry(self.path, SPEC_ENTRY))

    def verify(self) -> bool:
        """Recompute the code hash from the zip, to detect a corrupted or edited artifact
        (by the same rule the server applies at upload, register and load)."""
        from dagy.domain.artifact_manifest import artifact_code_hash

        return artifact_code_hash(_read_entry(self.path, SPEC_ENTRY), self.manifest["sources"],
                                  lambda name: _read_entry(self.path, name)) == self.code_hash


def build_artifact(flow: Any, output_dir: str | os.PathLike[str] | None = None,
                   requirements: str | os.PathLike[str] | Sequence[str] | None = None,
                   build_id: str | None = None) -> LocalArtifact:
    """Write `<output_dir>/<flow name>/<build id>/artifact.zip` for `flow`.

    `requirements` is a requirements.txt path (or a list of requirement lines); its
    packages are installed with pip into the zip root. `output_dir` defaults to
    `$DAGY_HOME/builds`. Raises ArtifactBuildError with a reason when it cannot build.
    """
    import json
    from datetime import datetime, timezone

    from dagy.domain.code_hash import compute_code_hash

    spec = flow.spec
    module, root, module_name, source = _flow_module(flow)
    entrypoint = f"{module_name}:{_global_name(module, flow)}"
    sources = _collect_sources(spec, module, _module_files(root, module_name, source), root)
    code_hash = compute_code_hash(spec.to_json(), sources)
    now = datetime.now(timezone.utc)
    build_id = build_id or f"{now:%Y%m%dT%H%M%SZ}-{code_hash[:8]}"
    _check_path_component("flow name", flow.name)
    _check_path_component("build id", build_id)

    req_lines, vendored = _vendor(requirements) if requirements is not None else ([], {})
    if clashes := sorted(set(vendored) & set(sources)):
        raise ArtifactBuildError(
            f"requirements install files that clash with project sources: {', '.join(clashes)}")

    manifest = {
        "flow_name": flow.name, "flow_version": str(flow.version), "code_hash": code_hash,
        "dagy_version": _dagy_version(), "python_version": ".".join(map(str, sys.version_info[:3])),
        "entrypoint": entrypoint, "build_id": build_id,
        "built_at": now.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "requirements": req_lines, "sources": sorted(sources),
    }
    entries = {**vendored, **sources,
               SPEC_ENTRY: spec.to_json(indent=2).encode("utf-8"),
               MANIFEST_ENTRY: json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")}
    base = Path(output_dir) if output_dir is not None else _default_output_dir()
    target = base / flow.name / build_id / ARTIFACT_FILENAME
    _write_zip(target, entries)
    return LocalArtifact(path=target, code_hash=code_hash, flow_name=flow.name,
                         flow_version=str(flow.version), build_id=build_id, manifest=manifest)


def _flow_module(flow: Any) -> tuple[Any, Path, str, Path]:
    """The flow's module, its import root, the name to import it by, and its file."""
    import inspect

    fn = getattr(flow, "fn", None)
    module = sys.modules.get(getattr(fn, "__module__", None) or "")
    if fn is None or module is None:
        raise ArtifactBuildError(f"cannot find the module that defines flow {flow.name!r}")
    try:
        source = Path(inspect.getsourcefile(fn) or "").resolve()
    except TypeError:
        source = Path()
    if not source.is_file():
        raise ArtifactBuildError(f"flow {flow.name!r} has no source file to package "
                                 "(defined interactively?); define it in a .py file")
    name = module.__name__
    if "." not in name and source.name != "__init__.py" and source.stem != name:
        name = source.stem  # run as a script (__main__) or loaded from a path
    return module, _import_root(source, name), name, source


def _import_root(source: Path, module_name: str) -> Path:
    """The sys.path entry `module_name` imports from, derived from its file."""
    depth = module_name.count(".") + (source.name == "__init__.py")
    return source.parents[depth]


def _module_files(root: Path, module_name: str, source: Path) -> dict[str, Path]:
    """A top-level module is one file; a packaged module brings its whole top package."""
    if "." not in module_name and source.name != "__init__.py":
        return {source.name: source}
    package = root / module_name.split(".")[0]
    files = {}
    for dirpath, dirnames, filenames in os.walk(package):
        dirnames[:] = [d for d in dirnames if d != "__pycache__" and not d.startswith(".")]
        for filename in filenames:
            if filename.endswith(".py"):
                path = Path(dirpath, filename)
                files[path.relative_to(root).as_posix()] = path
    return files


def _collect_sources(spec: Any, module: Any, files: dict[str, Path],
                     root: Path) -> dict[str, bytes]:
    """Archive path -> bytes for the flow's files plus the project modules of its tasks."""
    for task_module in sorted({t.function.split(":")[0] for t in spec.tasks
                               if ":" in t.function}):
        found = None if task_module == module.__name__ else _project_module(task_module, root)
        if found is not None:
            for arcname, path in _module_files(*found).items():
                if files.setdefault(arcname, path).resolve() != path.resolve():
                    raise ArtifactBuildError(
                        f"two different files would be packaged as {arcname!r}: "
                        f"{files[arcname]} and {path}")
    return {arcname: path.read_bytes() for arcname, path in sorted(files.items())}


def _project_module(name: str, root: Path) -> tuple[Path, str, Path] | None:
    """(import root, name, file) of module `name` if it is project code under `root`."""
    module = sys.modules.get(name)
    file = getattr(module, "__file__", None)
    if not file:
        return None
    import sysconfig

    path = Path(file).resolve()
    installed = [Path(p).resolve() for key, p in sysconfig.get_paths().items()
                 if key in ("stdlib", "platstdlib", "purelib", "platlib")]
    if (not path.is_file() or not path.is_relative_to(root)
            or any(part in ("site-packages", "dist-packages") for part in path.parts)
            or any(path.is_relative_to(prefix) for prefix in installed)
            or (name.split(".")[0] in _PLATFORM_PACKAGES and path.is_relative_to(_PLATFORM_ROOT))):
        return None
    return _import_root(path, name), name, path


def _global_name(module: Any, flow: Any) -> str:
    """The module-level variable holding `flow`, so a worker can import it by name."""
    names = [name for name, value in vars(module).items() if value is flow]
    if not names:
        raise ArtifactBuildError(
            f"flow {flow.name!r} is not a module-level variable of {module.__name__!r}; "
            "assign it at module level so a worker can import it")
    public = [name for name in names if not name.startswith("_")]
    return (public or names)[0]


def _vendor(requirements: str | os.PathLike[str] | Sequence[str],
            ) -> tuple[list[str], dict[str, bytes]]:
    """pip-install requirements into a temp dir; return their lines and the files."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="dagy-build-") as tmp:
        if isinstance(requirements, (str, os.PathLike)):
            req_file = Path(requirements).expanduser().resolve()
            if not req_file.is_file():
                raise ArtifactBuildError(f"requirements file not found: {req_file}")
        else:
            req_file = Path(tmp, "requirements.txt")
            req_file.write_text("\n".join(requirements) + "\n", encoding="utf-8")
        lines = [line.strip() for line in req_file.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.strip().startswith("#")]
        target = Path(tmp, "site")
        cmd = [sys.executable, "-m", "pip", "install", "--target", str(target), "-r",
               str(req_file), "--disable-pip-version-check", "--no-input"]
        proc = subprocess.run(cmd, cwd=req_file.parent, capture_output=True, text=True)
        if proc.returncode != 0:
            tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
            raise ArtifactBuildError(
                f"pip could not install the requirements in {req_file} "
                f"(exit {proc.returncode}):\n{tail}")
        return lines, dict(_tree_files(target))


def _tree_files(top: Path) -> Iterable[tuple[str, bytes]]:
    for dirpath, dirnames, filenames in os.walk(top):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames  # console scripts in bin/ point at pip's temp dir
                       if d != "__pycache__" and not (d == "bin" and here == top)]
        for filename in filenames:
            if not filename.endswith(".pyc"):
                yield (here / filename).relative_to(top).as_posix(), (here / filename).read_bytes()


def _write_zip(target: Path, entries: dict[str, bytes]) -> None:
    """Deterministic zip: sorted entries, fixed time and mode; atomically renamed in place."""
    import zipfile

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            for name in sorted(entries):
                info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                archive.writestr(info, entries[name])
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _read_entry(path: Path, name: str) -> bytes:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read(name)
    except FileNotFoundError:
        raise ArtifactError(f"artifact not found: {path}") from None
    except KeyError:
        raise ArtifactError(f"{path} is not a Dagy artifact: it has no {name}") from None
    except zipfile.BadZipFile as exc:
        raise ArtifactError(f"{path} is not a valid zip: {exc}") from None


def _check_path_component(what: str, value: str) -> None:
    if not value or value in (".", "..") or any(sep in value for sep in "/\\\0"):
        raise ArtifactBuildError(f"{what} {value!r} cannot be used as a directory name")


def _default_output_dir() -> Path:
    from dagy.settings import dagy_home
    return dagy_home() / "builds"


def _dagy_version() -> str:
    version = getattr(sys.modules.get("dagy"), "__version__", None)
    if version:
        return str(version)
    from importlib import metadata

    try:
        return metadata.version("dagy")
    except metadata.PackageNotFoundError:
        return "0.1.0"
