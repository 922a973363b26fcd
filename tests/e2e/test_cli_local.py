"""The `dagy` command line on local flow files, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

FLOWS = textwrap.dedent('''
    from dagy import RunContext, flow, task

    @task(retries=2, retry_delay_seconds=0)
    def fetch(url: str) -> str:
        if RunContext.current().attempt < 2:
            raise ValueError("flaky")
        return f"<html>{url}</html>"

    @task(timeout_seconds=5)
    def parse(html: str) -> dict:
        print("parsing in a task")
        return {"length": len(html)}

    @task
    def double(x):
        return x * 2

    @task
    def pick(x):
        return x

    @task
    def join(a, b):
        return [a, b]

    @task
    def boom(x):
        raise RuntimeError(f"kaboom {x}")

    @flow(name="web_scraper", version="1.0.0")
    def web_scraper(url: str, n: int = 3):
        p = parse(fetch(url))
        return {"p": p, "d": double.map([1, 2, n])}

    @flow
    def diamond(x: int = 1):
        s = pick(x)
        return join(pick(s), double(s))

    @flow(name="explodes")
    def failing(x: int = 1):
        return boom(pick(x))
''')

ECHO = textwrap.dedent('''
    from dagy import flow, task

    @task
    def identity(v):
        return v

    @flow
    def echo(s: str, n: int, flag: bool, xs: list, anything=None, empty: str = "x"):
        return identity({"s": s, "n": n, "flag": flag, "xs": xs,
                         "anything": anything, "empty": empty})
''')


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "my_flows.py").write_text(FLOWS)
    (tmp_path / "echo_flows.py").write_text(ECHO)
    (tmp_path / "fake_home").mkdir()
    return tmp_path


def dagy(workdir: Path, *args: str, debug: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DAGY_DEBUG"}
    env.update(DAGY_HOME=str(workdir / "home"), HOME=str(workdir / "fake_home"))
    if debug:
        env["DAGY_DEBUG"] = "1"
    return subprocess.run([sys.executable, "-m", "dagy.entrypoints.cli.main", *args],
                          cwd=workdir, env=env, capture_output=True, text=True, timeout=60)


def assert_one_line_error(proc: subprocess.CompletedProcess, code: int, *fragments: str) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def test_run_prints_only_the_json_result_on_stdout(workdir: Path) -> None:
    proc = dagy(workdir, "run", "my_flows.py:web_scraper",
                "--param", "url=https://example.com", "--param", "n=5")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"p": {"length": 32}, "d": [2, 4, 10]}
    assert proc.stdout.count("\n") == 1
    assert "parsing in a task" in proc.stderr  # what user code prints goes to stderr
    assert "SUCCEEDED" not in proc.stderr  # no summary without --verbose


def test_run_verbose_summary_goes_to_stderr(workdir: Path) -> None:
    proc = dagy(workdir, "run", "my_flows.py:web_scraper", "-p", "url=x", "--verbose")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["d"] == [2, 4, 6]
    fetch_row = next(line for line in proc.stderr.splitlines() if "fetch" in line)
    assert "SUCCEEDED" in fetch_row and " 2 " in fetch_row  # two attempts
    assert "double[2]" in proc.stderr


def test_param_values_are_json_when_they_parse(workdir: Path) -> None:
    proc = dagy(workdir, "run", "echo_flows.py", "-p", "s=123", "-p", "n=3", "-p", "flag=true",
                "-p", "xs=[1,2]", "-p", "anything=https://x.org/?a=b", "-p", "empty=")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"s": "123", "n": 3, "flag": True, "xs": [1, 2],
                                       "anything": "https://x.org/?a=b", "empty": ""}
    proc = dagy(workdir, "run", "echo_flows.py:echo",
                "--params-json", '{"s": "a", "n": 1, "flag": false, "xs": []}', "-p", "n=2")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["n"] == 2 and json.loads(proc.stdout)["flag"] is False


def test_failed_run_exits_1_and_names_the_task(workdir: Path) -> None:
    proc = dagy(workdir, "run", "my_flows.py:explodes")
    line = assert_one_line_error(proc, 1, "boom", "kaboom 1", "explodes")
    assert line.startswith("error: flow 'explodes' failed: task 'boom' failed")


ERROR_CASES = {
    "missing file": (["run", "nowhere.py"], ["nowhere.py", "not found"]),
    "missing flow": (["run", "my_flows.py:nope"], ["nope", "diamond", "web_scraper"]),
    "several flows": (["run", "my_flows.py"], ["several flows", "explodes"]),
    "param without =": (["run", "my_flows.py:diamond", "-p", "x"], ["'x'", "key=value"]),
    "unknown param": (["run", "my_flows.py:diamond", "-p", "y=1"], ["unknown parameter 'y'"]),
    "missing param": (["run", "my_flows.py:web_scraper"], ["missing required parameter 'url'"]),
    "import error": (["flows", "show", "broken.py"],
                     ["could not import broken.py: NameError:", "undefined_thing", "line 3"]),
    "cycle": (["flows", "show", "cycle.json"], ["cycle.json", "cycle"]),
    "remote": (["run", "prod-etl"], ["requires a running `dagy server`"]),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_user_errors_are_one_line_and_exit_2(workdir: Path, case: str) -> None:
    (workdir / "broken.py").write_text("from dagy import flow\n\nx = undefined_thing\n")
    spec = {"name": "loop", "tasks": [{"id": "a", "upstream": ["b"]},
                                      {"id": "b", "upstream": ["a"]}]}
    (workdir / "cycle.json").write_text(json.dumps(spec))
    args, fragments = ERROR_CASES[case]
    assert_one_line_error(dagy(workdir, *args), 2, *fragments)


def test_unexpected_error_exits_1_with_traceback_only_in_debug(workdir: Path) -> None:
    (workdir / "odd.py").write_text(textwrap.dedent('''
        from dagy import flow
        @flow
        def odd():
            return {}["missing"]
    '''))
    assert_one_line_error(dagy(workdir, "flows", "show", "odd.py"), 1, "KeyError")
    debug = dagy(workdir, "flows", "show", "odd.py", debug=True)
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_flows_show_text_tree(workdir: Path) -> None:
    proc = dagy(workdir, "flows", "show", "my_flows.py:diamond")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("diamond")
    assert proc.stdout.count("join (see above)") == 1
    assert "parameters: x: integer = 1" in proc.stdout
    proc = dagy(workdir, "flows", "show", "my_flows.py:web_scraper", "--format", "text")
    assert "fetch retries=2" in proc.stdout and "parse timeout=5s" in proc.stdout
    assert "double [map]" in proc.stdout


def test_flows_show_mermaid(workdir: Path) -> None:
    proc = dagy(workdir, "flows", "show", "my_flows.py:diamond", "-f", "mermaid")
    assert proc.returncode == 0, proc.stderr
    lines = [line.strip() for line in proc.stdout.splitlines()]
    assert lines[0] == "flowchart TD"
    assert {'pick["pick"]', 'pick_2["pick-2"]', 'double["double"]', 'join["join"]'} <= set(lines)
    edges = {line for line in lines if "-->" in line}
    assert edges == {"pick --> pick_2", "pick --> double", "pick_2 --> join", "double --> join"}


def test_flows_show_json_is_the_spec_and_round_trips(workdir: Path) -> None:
    proc = dagy(workdir, "flows", "show", "my_flows.py:web_scraper", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    traced = subprocess.run(
        [sys.executable, "-c", "import my_flows; print(my_flows.web_scraper.spec.to_json())"],
        cwd=workdir, capture_output=True, text=True, timeout=60)
    assert json.loads(proc.stdout) == json.loads(traced.stdout)
    (workdir / "spec.json").write_text(proc.stdout)
    again = dagy(workdir, "flows", "show", "spec.json", "--format", "json")
    assert again.returncode == 0 and again.stdout == proc.stdout


def test_flows_list(workdir: Path) -> None:
    proc = dagy(workdir, "flows", "list", "my_flows.py")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line for line in proc.stdout.splitlines()
            if line.split() and line.split()[0] in ("web_scraper", "diamond", "explodes")}
    assert set(rows) == {"web_scraper", "diamond", "explodes"}
    assert "1.0.0" in rows["web_scraper"] and "url" in rows["web_scraper"]


def test_build_writes_artifacts_under_output_dir(workdir: Path) -> None:
    proc = dagy(workdir, "build", "my_flows.py:diamond", "--output-dir", "dist")
    assert proc.returncode == 0, proc.stderr
    paths = proc.stdout.splitlines()
    assert len(paths) == 1
    artifact = workdir / paths[0]
    assert artifact.is_file() and artifact.name == "artifact.zip"
    assert artifact.parent.parent == workdir / "dist" / "diamond"
    assert "code_hash=" in proc.stderr
    with zipfile.ZipFile(artifact) as zf:
        assert "my_flows.py" in zf.namelist()
        assert json.loads(zf.read("flow_spec.json"))["name"] == "diamond"


def test_dagy_home_is_respected_and_home_untouched(workdir: Path) -> None:
    assert dagy(workdir, "run", "my_flows.py:diamond").returncode == 0
    proc = dagy(workdir, "build", "my_flows.py")
    assert proc.returncode == 0, proc.stderr
    paths = [Path(p) for p in proc.stdout.splitlines()]
    assert sorted(p.parent.parent.name for p in paths) == ["diamond", "explodes", "web_scraper"]
    for path in paths:
        assert path.is_file() and path.is_relative_to(workdir / "home" / "builds")
    assert list((workdir / "fake_home").iterdir()) == []


def test_version_via_console_script_and_sdk_stays_light(workdir: Path) -> None:
    script = Path(sys.executable).with_name("dagy")
    if not script.exists():
        pytest.skip("the dagy console script is not installed next to this interpreter")
    proc = subprocess.run([str(script), "version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("dagy ")
    check = ("import sys, dagy; bad = [m for m in ('typer', 'rich', 'entrypoints', 'click')"
             " if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                         cwd=workdir, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
