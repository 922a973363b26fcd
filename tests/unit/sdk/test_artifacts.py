"""build_artifact / LocalArtifact: layout, manifest, hashing, packages, vendoring."""

from __future__ import annotations

import importlib
import json
import platform
import re
import subprocess
import sys
import textwrap
import uuid
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from dagy.artifacts import ArtifactBuildError, ArtifactError, LocalArtifact, build_artifact
from dagy.domain.code_hash import compute_code_hash
from dagy.domain.errors import DagyError
from dagy.domain.flowspec import FlowSpec

FLOW_SOURCE = """\
from dagy import flow, task

@task
def extract(n: int) -> list:
    return list(range(n))

@task
def total(xs: list) -> int:
    return sum(xs)

@flow
def etl(n: int = 3):
    return total(extract(n))
"""
MANIFEST_KEYS = {"flow_name", "flow_version", "code_hash", "dagy_version", "python_version",
                 "entrypoint", "build_id", "built_at", "requirements"}


@pytest.fixture
def load(tmp_path, monkeypatch):
    """Write modules under tmp_path and import them under names unique to this test."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.syspath_prepend(str(tmp_path))
    imported: list[str] = []

    def _load(name: str, files: dict[str, str] | None = None, root: Path = tmp_path):
        for rel, text in (files or {}).items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(textwrap.dedent(text))
        importlib.invalidate_caches()
        imported.append(name)
        return importlib.import_module(name)

    yield _load
    tops = {name.split(".")[0] for name in imported}
    for name in list(sys.modules):
        if name.split(".")[0] in tops:
            del sys.modules[name]


@pytest.fixture
def simple(load):
    """Import FLOW_SOURCE (plus `extra`) as a fresh top-level module; return (module, name)."""
    def _simple(extra: str = ""):
        name = unique("my_flows")
        return load(name, {f"{name}.py": FLOW_SOURCE + extra}), name
    return _simple


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def names(artifact: LocalArtifact) -> list[str]:
    with zipfile.ZipFile(artifact.path) as archive:
        return archive.namelist()


def read(artifact: LocalArtifact, entry: str) -> bytes:
    return zipfile.Path(artifact.path, entry).read_bytes()


def import_from_zip(zip_path: Path, entrypoint: str) -> str:
    """Import the entrypoint in a fresh interpreter with only the zip added to sys.path."""
    module, attr = entrypoint.split(":")
    code = (f"import sys; sys.path.insert(0, {str(zip_path)!r}); import importlib; "
            f"m = importlib.import_module({module!r}); print(m.__file__); "
            f"print(getattr(m, {attr!r}).name)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout


def test_zip_layout_and_manifest(simple, tmp_path):
    module, mod_name = simple()
    out = tmp_path / "dist"
    artifact = build_artifact(module.etl, output_dir=out)

    assert artifact.path == out / module.etl.name / artifact.build_id / "artifact.zip"
    assert names(artifact) == sorted([f"{mod_name}.py", "flow_spec.json", "manifest.json"])
    assert read(artifact, f"{mod_name}.py") == (tmp_path / f"{mod_name}.py").read_bytes()

    manifest = json.loads(read(artifact, "manifest.json"))
    assert MANIFEST_KEYS <= manifest.keys()
    assert manifest == artifact.manifest
    assert manifest["flow_name"] == artifact.flow_name == module.etl.name == "etl"
    assert manifest["flow_version"] == artifact.flow_version == str(module.etl.version)
    assert (manifest["code_hash"], manifest["build_id"]) == (artifact.code_hash, artifact.build_id)
    assert manifest["python_version"] == platform.python_version()
    assert manifest["entrypoint"] == f"{mod_name}:etl"
    assert manifest["requirements"] == []
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{8}", artifact.build_id)
    assert artifact.build_id.endswith(artifact.code_hash[:8])
    assert manifest["built_at"].endswith("Z")
    assert datetime.fromisoformat(manifest["built_at"]).tzname() == "UTC"
    assert isinstance(manifest["dagy_version"], str) and manifest["dagy_version"]

    expected = compute_code_hash(module.etl.spec.to_json(),
                                 {f"{mod_name}.py": (tmp_path / f"{mod_name}.py").read_bytes()})
    assert artifact.code_hash == expected
    with zipfile.ZipFile(artifact.path) as archive:
        infos = archive.infolist()
    for info in infos:  # reproducible bytes: fixed time, mode and compression
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.external_attr >> 16 == 0o100644


def test_spec_round_trips_and_open_reads_manifest(simple, tmp_path):
    module, mod_name = simple()
    artifact = build_artifact(module.etl, output_dir=tmp_path / "out")

    assert FlowSpec.from_json(read(artifact, "flow_spec.json")) == module.etl.spec
    assert read(artifact, "flow_spec.json").decode() == module.etl.spec.to_json(indent=2)
    reopened = LocalArtifact.open(artifact.path)
    assert reopened == artifact and reopened.manifest == artifact.manifest
    assert reopened.read_spec() == module.etl.spec
    assert len(reopened.read_spec().tasks) == 2
    assert reopened.verify()
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(artifact.path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for entry in src.namelist():
            data = src.read(entry)
            dst.writestr(entry, data + b"\nimport os\n" if entry.endswith(".py") else data)
    assert not LocalArtifact.open(tampered).verify()


def test_same_code_same_hash_and_any_edit_a_new_one(simple, tmp_path):
    module, mod_name = simple()
    first = build_artifact(module.etl, output_dir=tmp_path / "a")
    second = build_artifact(module.etl, output_dir=tmp_path / "b")
    assert first.code_hash == second.code_hash and first.build_id[-8:] == second.build_id[-8:]
    for entry in set(names(first)) - {"manifest.json"}:
        assert read(first, entry) == read(second, entry)
    file, name = import_from_zip(second.path, second.manifest["entrypoint"]).splitlines()
    assert str(second.path) in file and name == module.etl.name

    path = tmp_path / f"{mod_name}.py"
    path.write_text(FLOW_SOURCE + "\n# a comment changes no behaviour but is new code\n")
    edited = build_artifact(importlib.reload(module).etl, output_dir=tmp_path / "a")
    assert edited.code_hash != first.code_hash and edited.build_id != first.build_id
    assert read(edited, path.name).endswith(b"is new code\n")
    assert first.path.is_file() and edited.path.is_file()


def test_package_layout_ships_the_whole_top_level_package(load, tmp_path):
    pkg = unique("pkg")
    load(f"{pkg}.sub.flows", {
        f"{pkg}/__init__.py": "",
        f"{pkg}/helpers.py": "from dagy import task\n\n@task\ndef double(x):\n    return 2 * x\n",
        f"{pkg}/sub/__init__.py": "",
        f"{pkg}/sub/flows.py": f"from {pkg}.helpers import double\n" + FLOW_SOURCE
        + "\n@flow\ndef pipeline():\n    return double(total(extract(2)))\n",
        f"{pkg}/data/notes.txt": "not python",
    })
    module = sys.modules[f"{pkg}.sub.flows"]
    assert len(module.pipeline.spec.tasks) == 3
    artifact = build_artifact(module.pipeline, output_dir=tmp_path / "out")
    sources = [n for n in names(artifact) if n not in ("flow_spec.json", "manifest.json")]
    assert sources == sorted([f"{pkg}/__init__.py", f"{pkg}/helpers.py",
                              f"{pkg}/sub/__init__.py", f"{pkg}/sub/flows.py"])
    assert artifact.manifest["entrypoint"] == f"{pkg}.sub.flows:pipeline"
    file, name = import_from_zip(artifact.path, f"{pkg}.sub.flows:pipeline").splitlines()
    assert file.endswith(f"{pkg}/sub/flows.py") and name == module.pipeline.name


def test_task_modules_under_the_flow_root_only(load, tmp_path, monkeypatch):
    """Project task modules ship; other roots and a venv inside the project do not."""
    project = tmp_path / "project"
    dirs = [project, tmp_path / "elsewhere", project / ".venv/lib/site-packages"]
    for directory in dirs:
        directory.mkdir(parents=True, exist_ok=True)
        monkeypatch.syspath_prepend(str(directory))
    local, external, installed, flows = (unique(p) for p in ("loc", "ext", "inst", "flows"))
    for name, root in zip((local, external, installed), dirs):
        load(name, {f"{name}.py": f"from dagy import task\n\n@task\ndef {name}(x):\n"
                                  "    return x\n"}, root=root)
    module = load(flows, {f"{flows}.py": f"from dagy import flow\n"
                          f"from {local} import {local}\nfrom {external} import {external}\n"
                          f"from {installed} import {installed}\n\n@flow\ndef mixed():\n"
                          f"    return {installed}({external}({local}(1)))\n"}, root=project)
    artifact = build_artifact(module.mixed, output_dir=tmp_path / "out")
    functions = {t.function.split(":")[0] for t in module.mixed.spec.tasks}
    assert {local, external, installed} <= functions
    assert set(names(artifact)) == {f"{local}.py", f"{flows}.py", "flow_spec.json",
                                    "manifest.json"}


def test_default_output_dir_is_dagy_home_and_nothing_else_is_written(simple, tmp_path,
                                                                     monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("DAGY_HOME", str(home))
    module, _ = simple()
    before = sorted(tmp_path.rglob("*"))
    artifact = build_artifact(module.etl, build_id="b1")
    assert artifact.path == home / "builds" / module.etl.name / "b1" / "artifact.zip"
    assert artifact.path.is_file()
    assert sorted(p for p in tmp_path.rglob("*") if not p.is_relative_to(home)) == before


def _make_wheel(directory: Path) -> Path:
    wheel = directory / "tinypkg-1.0-py3-none-any.whl"
    info = "tinypkg-1.0.dist-info"
    files = {"tinypkg/__init__.py": "VALUE = 42\n",
             f"{info}/METADATA": "Metadata-Version: 2.1\nName: tinypkg\nVersion: 1.0\n",
             f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                              "Tag: py3-none-any\n",  # a console script makes pip write bin/
             f"{info}/entry_points.txt": "[console_scripts]\ntinypkg = tinypkg:VALUE\n"}
    files[f"{info}/RECORD"] = "".join(f"{name},,\n" for name in [*files, f"{info}/RECORD"])
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return wheel


def test_requirements_are_vendored_into_the_zip_root(simple, tmp_path):
    module, mod_name = simple()
    wheel = _make_wheel(tmp_path)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"# vendored for the worker\n{wheel}\n")
    plain = build_artifact(module.etl, output_dir=tmp_path / "plain")
    artifact = build_artifact(module.etl, output_dir=tmp_path / "out", requirements=requirements)

    entries = names(artifact)
    assert read(artifact, "tinypkg/__init__.py") == b"VALUE = 42\n"
    assert "tinypkg-1.0.dist-info/METADATA" in entries
    assert not [n for n in entries if n.endswith(".pyc") or "__pycache__" in n or n[:4] == "bin/"]
    assert artifact.manifest["requirements"] == [str(wheel)]
    assert artifact.code_hash == plain.code_hash  # vendored deps are not project code
    assert artifact.manifest["sources"] == [f"{mod_name}.py"]


def test_bad_requirements_raise_a_clear_error_and_write_nothing(simple, tmp_path):
    module, _ = simple()
    missing = tmp_path / "nope" / "requirements.txt"
    with pytest.raises(DagyError, match="requirements file not found") as info:
        build_artifact(module.etl, output_dir=tmp_path / "out", requirements=missing)
    assert isinstance(info.value, ArtifactBuildError) and str(missing) in str(info.value)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"{tmp_path / 'absent' / 'ghost-1.0-py3-none-any.whl'}\n")
    with pytest.raises(ArtifactBuildError, match="pip could not install") as info:
        build_artifact(module.etl, output_dir=tmp_path / "out", requirements=requirements)
    assert "ghost-1.0-py3-none-any.whl" in str(info.value)  # pip's own reason is shown
    assert not (tmp_path / "out").exists()


def test_entrypoint_is_the_global_holding_the_flow(simple, tmp_path):
    module, mod_name = simple("\nmain = etl\ndel etl\n")
    artifact = build_artifact(module.main, output_dir=tmp_path / "out")
    assert artifact.manifest["entrypoint"] == f"{mod_name}:main"
    module, _ = simple("\nFLOWS = [etl]\ndel etl\n")
    with pytest.raises(ArtifactBuildError, match="module-level"):
        build_artifact(module.FLOWS[0], output_dir=tmp_path / "out2")
    assert not (tmp_path / "out2").exists()


@pytest.mark.parametrize("bad", ["..", "a/b", "a\\b"])
def test_build_id_must_be_a_plain_name(simple, tmp_path, bad):
    module, _ = simple()
    with pytest.raises(ArtifactBuildError, match="build id"):
        build_artifact(module.etl, output_dir=tmp_path / "out", build_id=bad)


def test_open_rejects_what_is_not_an_artifact(tmp_path):
    with pytest.raises(ArtifactError, match="not found"):
        LocalArtifact.open(tmp_path / "missing.zip")
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(ArtifactError, match="not a valid zip"):
        LocalArtifact.open(tmp_path / "junk.zip")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as archive:
        archive.writestr("x.txt", "x")
    with pytest.raises(ArtifactError, match="manifest.json"):
        LocalArtifact.open(tmp_path / "other.zip")
