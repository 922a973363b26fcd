"""Run import-linter over the package laid out as it installs.

The layers live at the repository root (domain/, application/, adapters/, entrypoints/)
and install as dagy.domain, dagy.application, ... (pyproject `package-dir`). import-linter
finds a package's modules by walking its folder, so it cannot see the mapping: this
stages the Python files in the installed layout (read from pyproject, the one owner of
the mapping) in a temporary folder and lints that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stage(target: Path) -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    for package, folder in config["package-dir"].items():
        source = ROOT / folder
        destination = target.joinpath(*package.split("."))
        for path in source.rglob("*.py"):
            out = destination / path.relative_to(source)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, out)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="dagy-lint-") as tmp:
        stage(Path(tmp))
        env = {**os.environ, "PYTHONPATH": tmp}
        lint = Path(sys.executable).with_name("lint-imports")
        return subprocess.call([str(lint), "--config", str(ROOT / "pyproject.toml"),
                                *sys.argv[1:]], cwd=tmp, env=env)


if __name__ == "__main__":
    sys.exit(main())
