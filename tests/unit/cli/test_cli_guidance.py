"""The command line's answers to common slips: `--version`, a target without `.py`, and
arithmetic on a flow parameter while the flow is traced."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import dagy
from dagy.entrypoints.cli.loading import LoadError, check_file, parse_target

RANGE_OVER_N = textwrap.dedent('''
    from dagy import flow, task

    @task
    def echo(x):
        return x

    @flow
    def etl(n: int = 2):
        return [echo(i) for i in range(n)]
''')


def _dagy(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DAGY_DEBUG"}
    env.update(DAGY_HOME=str(cwd / "home"), HOME=str(cwd))
    return subprocess.run([sys.executable, "-m", "dagy.entrypoints.cli.main", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_version_option_prints_the_version_and_exits_0(tmp_path: Path) -> None:
    proc = _dagy(tmp_path, "--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"dagy {dagy.__version__}\n"


def test_range_over_a_flow_parameter_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "my_flows.py").write_text(RANGE_OVER_N)
    proc = _dagy(tmp_path, "run", "my_flows.py:etl")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert lines[0].startswith("error: ")
    assert "flow parameter 'n'" in lines[0] and "do arithmetic inside a @task" in lines[0]
    assert proc.stdout == ""


def test_a_target_without_py_suggests_the_file_that_exists(tmp_path: Path) -> None:
    (tmp_path / "my_flows.py").write_text(RANGE_OVER_N)
    proc = _dagy(tmp_path, "run", "my_flows:etl")
    assert proc.returncode == 2
    assert proc.stderr == "error: file not found: my_flows; did you mean my_flows.py:etl?\n"


@pytest.mark.parametrize("text, hint", [
    ("{dir}/my_flows:etl", "did you mean {dir}/my_flows.py:etl?"),
    ("{dir}/my_flows", "did you mean {dir}/my_flows.py?"),
    ("{dir}/spec:etl", "did you mean {dir}/spec.json:etl?"),
])
def test_check_file_hints_at_the_suffix(tmp_path: Path, text: str, hint: str) -> None:
    (tmp_path / "my_flows.py").write_text(RANGE_OVER_N)
    (tmp_path / "spec.json").write_text("{}")
    with pytest.raises(LoadError) as caught:
        check_file(parse_target(text.format(dir=tmp_path)))
    assert str(caught.value).endswith(hint.format(dir=tmp_path))


def test_no_hint_when_no_such_file_exists(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        check_file(parse_target(f"{tmp_path}/elsewhere:etl"))
    assert str(caught.value) == f"file not found: {tmp_path}/elsewhere"


def test_no_json_hint_where_only_py_files_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "spec.json").write_text("{}")
    with pytest.raises(LoadError) as caught:
        check_file(parse_target(f"{tmp_path}/spec:etl"), (".py",))
    assert "did you mean" not in str(caught.value)
