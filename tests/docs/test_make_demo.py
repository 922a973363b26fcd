"""README's main job, `make demo`, does what the README says, and Ctrl-C stops it.

Why a test of its own: the docs test skips README's `make demo` block because it serves
until Ctrl-C. Here it runs in a bare terminal (venv first on PATH, fresh HOME and
DAGY_HOME) on a free port: it shows the demo flow's DAG, runs it locally, then
`dagy server --demo` deploys `etl-demo` and its one run SUCCEEDS; the command it then
suggests works from a second terminal; the web UI page it names is served; SIGINT
(Ctrl-C) ends make promptly.
`-o .venv/.installed` keeps make from reinstalling the venv (offline; the stamp may be
older than a pyproject.toml someone just edited).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from dagy_server import free_port
from terminal import terminal

ROOT = Path(__file__).resolve().parents[2]


def wait_for(path: Path, text: str, proc: subprocess.Popen, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = path.read_text()
        if text in output:
            return output
        assert proc.poll() is None, f"make demo exited {proc.returncode}:\n{output}"
        time.sleep(0.2)
    raise AssertionError(f"no {text!r} after {timeout} s:\n{path.read_text()}")


def test_make_demo_runs_the_demo_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    (tmp_path / "home").mkdir()
    env = terminal(tmp_path / "home", DAGY_HOME=str(tmp_path / "dagy_home"))
    out, err = tmp_path / "demo.out", tmp_path / "demo.err"
    with open(out, "w") as stdout, open(err, "w") as stderr:
        make = subprocess.Popen(["make", "-o", ".venv/.installed", "demo", f"PORT={free_port()}"],
                                cwd=ROOT, env=env, stdout=stdout, stderr=stderr,
                                start_new_session=True)
    try:
        shown = wait_for(out, "demo: run ", make, timeout=60)
        assert "etl_pipeline" in shown and "enrich [map]" in shown, shown   # the DAG
        assert "demo: deployed etl_pipeline" in shown, shown
        assert "SUCCEEDED" in shown.split("demo: run ", 1)[1].splitlines()[0], shown
        hint = wait_for(out, "try: ", make, timeout=10).split("try: ", 1)[1].splitlines()[0]
        second = subprocess.run(["bash", "-c", hint.split("|")[1].strip()], cwd=tmp_path,
                                env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, (hint, second.stdout, second.stderr)
        page = wait_for(out, "demo run in the web UI: ", make, timeout=10)
        url = page.split("demo run in the web UI: ", 1)[1].splitlines()[0].strip()
        assert url.startswith("http://127.0.0.1:") and "/ui/runs/detail/?id=" in url, url
        with urllib.request.urlopen(url, timeout=10) as answer:  # the built page, served
            assert answer.status == 200 and b"<html" in answer.read()
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGINT)          # Ctrl-C in the demo's terminal
            try:
                make.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(make.pid, signal.SIGKILL)
                make.wait(timeout=10)
                raise AssertionError("make demo did not stop within 15 s of Ctrl-C") from None
    assert "Traceback" not in err.read_text(), err.read_text()[-3000:]
