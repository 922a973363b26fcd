"""The README's quickstart, verbatim, as a new user runs it: `dagy server` in one terminal,
the README's commands in a second one.

Both "terminals" get a bare environment: PATH=<venv>/bin:/usr/bin:/bin (what
`source .venv/bin/activate` gives) and a fresh HOME, no DAGY_HOME. So the test holds
that the server and the commands agree on where state lives (~/.dagy), that the
snippet saved as my_flows.py does not run at import, and that the commands run offline.
The bash lines are taken from README.md itself, so editing them edits the test.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dagy_server import free_port
from terminal import commands, start_server, stop_server, terminal

README = Path(__file__).resolve().parents[2] / "README.md"


def blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", README.read_text(), re.S | re.M)


def shell(line: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    # `source .venv/bin/activate` is the README's way to get VENV_BIN on PATH, which the
    # environment above already has; the test's own checkout has no .venv to source.
    if line == "source .venv/bin/activate":
        line = "command -v dagy"
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)


def test_readme_quickstart_from_a_second_terminal(tmp_path: Path) -> None:
    started = time.monotonic()
    home, project = tmp_path / "home", tmp_path / "project"
    home.mkdir()
    project.mkdir()
    (project / "my_flows.py").write_text(blocks("python")[0])
    env = terminal(home)

    # Importing my_flows.py must not run the flow (nothing printed).
    imported = subprocess.run([sys.executable, "-c", "import my_flows"], cwd=project, env=env,
                              capture_output=True, text=True, timeout=30)
    assert imported.returncode == 0 and imported.stdout == "", imported

    local, server_block, second = (b for b in blocks("bash") if "dagy" in b and "make" not in b)
    assert commands(server_block) == ["dagy server"]
    server = start_server(project, env, free_port(), tmp_path)
    try:
        assert (home / ".dagy" / "profiles.toml").exists()

        outputs: dict[str, str] = {}
        for line in commands(local) + commands(second):
            proc = shell(line, project, terminal(home))
            assert proc.returncode == 0, (line, proc.stdout, proc.stderr)
            outputs[line] = proc.stdout
        runs_out = [out for line, out in outputs.items() if line.startswith("dagy run ")]
        assert len(runs_out) == 2, list(outputs)  # one local run, one on the server
        assert all("from dagy import flow" in out for out in runs_out), runs_out
        assert list((project / "dist" / "web_scraper").glob("*/artifact.zip"))
        runs = shell("dagy runs list", project, terminal(home))
        assert "web_scraper" in runs.stdout or "web-scraper" in runs.stdout, runs.stdout
        assert "succeeded" in runs.stdout.lower(), runs.stdout
    finally:
        stop_server(server)
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"quickstart took {elapsed:.1f} s"
    print(f"second-terminal quickstart: {elapsed:.1f} s")


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-s"]))
