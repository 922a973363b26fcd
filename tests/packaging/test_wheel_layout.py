"""The installed package claims only `dagy`: the wheel's top level and every import.

The layers live at the repository root (domain/, application/, adapters/, entrypoints/)
and install as dagy.domain, ...; a top-level `domain` would shadow (or be shadowed by)
the `domain` package of a user's own hexagonal project.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("domain", "application", "adapters", "entrypoints")
TOP_LEVEL_IMPORT = re.compile(rf"^\s*(from|import) ({'|'.join(LAYERS)})(\.|\s|$)", re.M)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy of the sources: setuptools writes build/ and *.egg-info next to
    # them (a module left in build/lib by an earlier build would hide one that pyproject
    # no longer packages), and other tests use the checkout at the same time.
    source = tmp_path_factory.mktemp("source") / "dagy"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "node_modules",
        ".pytest_cache", ".hypothesis"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                            "--no-build-isolation", "--quiet", "--wheel-dir", str(out),
                            str(source)], timeout=300, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]
    [built] = out.glob("dagy-*.whl")
    return zipfile.ZipFile(built)


@pytest.mark.slow
def test_the_wheel_holds_only_dagy_at_its_top_level(wheel: zipfile.ZipFile) -> None:
    top = {name.split("/")[0] for name in wheel.namelist()}
    assert {t for t in top if not t.endswith(".dist-info")} == {"dagy"}


@pytest.mark.slow
def test_every_module_of_the_repository_is_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    """A package folder missing from pyproject's explicit `packages` list fails here."""
    mapping = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    expected = {f"{'/'.join(package.split('.'))}/{path.relative_to(ROOT / folder).as_posix()}"
                for package, folder in mapping.items() for path in (ROOT / folder).rglob("*.py")}
    names = set(wheel.namelist())
    assert expected - names == set()
    assert "dagy/adapters/sql/migrations/script.py.mako" in names


def test_no_code_imports_a_layer_by_its_top_level_name() -> None:
    """`from domain...` works from the repository root by accident and nowhere else."""
    offenders = []
    for folder in ("dagy", *LAYERS, "tests", "benchmarks", "examples"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == Path(__file__).resolve() or "user_project" in path.name:
                continue
            for match in TOP_LEVEL_IMPORT.finditer(path.read_text(encoding="utf-8")):
                line = path.read_text(encoding="utf-8")[:match.start()].count("\n") + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert offenders == []
