"""`dagy deploy file.py:flow` against a real `dagy server`: the daily loop of editing a
flow and deploying it again, with no `version=` and no separate build step.

Holds that the first deploy registers version 1 and runs; a code change registers
version 2, moves the deployment there and the run gives the new result (the server
does not keep running the old module); deploying unchanged code says "unchanged" and
uploads nothing new; reverting moves the deployment back; a target that cannot be
loaded is one error line and leaves the server untouched.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dagy_server import Server, dagy, free_port, ok, one_line_error

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

FLOW = '''
from dagy import flow, task


@task
def answer() -> int:
    return {value}


@flow(name="daily_loop")
def daily_loop() -> int:
    return answer()
'''


@pytest.fixture()
def workdir(tmp_path: Path):
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "loop_flows.py").write_text(FLOW.format(value=1))
    server = Server(tmp_path, free_port())
    try:
        yield tmp_path
    finally:
        server.close()


def deploy(workdir: Path, *args: str) -> tuple[dict[str, str], str]:
    """The `key: value` stdout lines as a dict, and stderr."""
    proc = dagy(workdir, "deploy", "loop_flows.py:daily_loop", "--deployment", "loop", *args)
    out = ok(proc)
    return dict(line.split(": ", 1) for line in out.splitlines()), proc.stderr


def run_result(workdir: Path) -> int:
    return json.loads(ok(dagy(workdir, "run", "loop", "--wait", "--timeout", "60")))


def deployed_version(workdir: Path) -> str:
    """The flow_version row of `dagy deployments show loop`."""
    shown = ok(dagy(workdir, "deployments", "show", "loop"))
    found = re.search(r"^flow_version\s+(\S+)", shown, re.M)
    assert found, shown
    return found.group(1)


def registered_versions(workdir: Path) -> list[str]:
    out = ok(dagy(workdir, "flows", "versions", "daily_loop", "--json"))
    return [v["flow_version"] for v in json.loads(out)]


def stored_zips(workdir: Path) -> list[Path]:
    return sorted((workdir / "home").rglob("*.zip"))


def test_deploy_from_source_edit_redeploy_and_unchanged(workdir: Path) -> None:
    first, err = deploy(workdir)
    assert first["deployment"] == "loop" and first["flow"] == "daily_loop"
    assert first["flow_version"] == "1"
    assert f"registered daily_loop version 1 (code sha256:{first['code_hash'][:8]}…)" in err
    assert run_result(workdir) == 1
    assert not (workdir / "dist").exists()  # the build went to a temporary directory

    (workdir / "loop_flows.py").write_text(FLOW.format(value=2))
    second, err = deploy(workdir)
    assert second["flow_version"] == "2" and second["code_hash"] != first["code_hash"]
    assert f"registered daily_loop version 2 (code sha256:{second['code_hash'][:8]}…)" in err
    assert deployed_version(workdir) == "2"
    assert run_result(workdir) == 2

    zips = stored_zips(workdir)
    assert len(zips) == 2, zips  # one stored ZIP per version
    again, err = deploy(workdir)
    assert again == second
    assert "unchanged: daily_loop version 2 (code sha256:" in err and "registered" not in err
    assert stored_zips(workdir) == zips and registered_versions(workdir) == ["1", "2"]
    assert deployed_version(workdir) == "2"

    (workdir / "loop_flows.py").write_text(FLOW.format(value=1))  # revert the edit
    reverted, err = deploy(workdir)
    assert reverted["flow_version"] == "1" and "unchanged: daily_loop version 1" in err
    assert deployed_version(workdir) == "1" and run_result(workdir) == 1


def test_bad_targets_are_one_line_and_change_nothing(workdir: Path) -> None:
    deploy(workdir)
    zips = stored_zips(workdir)
    assert zips
    cases = [
        (("missing.py:daily_loop",), "file not found: missing.py"),
        (("loop_flows:daily_loop",), "did you mean loop_flows.py:daily_loop?"),
        (("loop_flows.py:nope",), "no flow named 'nope' in loop_flows.py"),
    ]
    for args, fragment in cases:
        proc = dagy(workdir, "deploy", *args, "--deployment", "other")
        one_line_error(proc, 2, fragment)
        assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert stored_zips(workdir) == zips
    missing = dagy(workdir, "deployments", "show", "other")
    assert missing.returncode == 2, (missing.stdout, missing.stderr)
    assert registered_versions(workdir) == ["1"]
