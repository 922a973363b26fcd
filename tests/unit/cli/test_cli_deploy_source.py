"""`dagy deploy path.py[:flow]` against a fake control plane: which form an argument
takes, the one-line errors of a bad target (nothing contacted, nothing uploaded), the
summary line for a new version and for unchanged code, and the stdout lines scripts read.
"""

from __future__ import annotations

import itertools

import pytest

from dagy.client import DagyApiError
from dagy.models import Deployment
from dagy.entrypoints.cli import remote
from dagy.entrypoints.cli.main import main

FLOW = '''
from dagy import flow, task


@task
def answer() -> int:
    return {value}


@flow(name="daily_loop"{version})
def daily_loop() -> int:
    return answer()
'''
_names = itertools.count()


class FakeControlPlane:
    """Keeps versions per flow the way the server does: unnumbered code gets 1, 2, ...;
    the same code answers its version with created=False."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.versions: list[dict] = []
        self.deployments: dict[str, tuple[str, str]] = {}

    def get_flow(self, name: str) -> dict | None:
        self.calls.append("get_flow")
        return {"flow_name": name, "versions": self.versions} if self.versions else None

    def upload_artifact(self, path, code_hash: str, flow_name: str) -> str:
        self.calls.append("upload")
        return f"file:///store/{code_hash}.zip"

    def register_flow(self, *, flow_name: str, flow_version: str, code_hash: str,
                      **_: object) -> dict:
        self.calls.append("register")
        for v in self.versions:
            if v["code_hash"] == code_hash and flow_version in ("latest", v["flow_version"]):
                return {**v, "created": False}
            if v["flow_version"] == flow_version:
                raise DagyApiError(409, "conflict", "already registered with different code")
        if flow_version == "latest":
            flow_version = str(len(self.versions) + 1)
        self.versions.append({"flow_version": flow_version, "code_hash": code_hash})
        return {**self.versions[-1], "created": True}

    def create_deployment(self, name: str, flow_name: str, flow_version: str,
                          **_: object) -> Deployment:
        self.calls.append(f"deployment {name} -> {flow_version}")
        self.deployments[name] = (flow_name, flow_version)
        return Deployment(name, flow_name, flow_version)


@pytest.fixture
def plane(monkeypatch) -> FakeControlPlane:
    fake = FakeControlPlane()
    monkeypatch.setattr(remote, "make_client", lambda profile: fake)
    return fake


def flow_file(tmp_path, value: int = 1, version: str | None = None) -> str:
    """A new module name each time: the CLI imports the file in this test process."""
    path = tmp_path / f"loop_flows_{next(_names)}.py"
    path.write_text(FLOW.format(value=value, version=f", version={version!r}" if version else ""))
    return str(path)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    captured = capsys.readouterr()
    return info.value.code or 0, captured.out, captured.err


def test_new_code_registers_the_next_version_and_moves_the_deployment(plane, capsys,
                                                                      tmp_path) -> None:
    code, out, err = cli(capsys, "deploy", flow_file(tmp_path, 1), "--deployment", "loop")
    assert code == 0, err
    lines = dict(line.split(": ", 1) for line in out.splitlines())
    assert list(lines) == ["deployment", "flow", "flow_version", "code_hash"]
    assert (lines["deployment"], lines["flow"], lines["flow_version"]) == ("loop", "daily_loop",
                                                                          "1")
    assert err.strip() == (f"registered daily_loop version 1 (code sha256:"
                           f"{lines['code_hash'][:8]}…); deployment loop runs it")
    code, out, err = cli(capsys, "deploy", f"{flow_file(tmp_path, 2)}:daily_loop", "-d", "loop")
    assert code == 0 and "flow_version: 2" in out and "registered daily_loop version 2" in err
    assert plane.deployments["loop"] == ("daily_loop", "2")


def test_unchanged_code_uploads_nothing_and_points_the_deployment_back(plane, capsys,
                                                                      tmp_path) -> None:
    first = flow_file(tmp_path, 1)
    assert cli(capsys, "deploy", first, "-d", "loop")[0] == 0
    assert cli(capsys, "deploy", flow_file(tmp_path, 2), "-d", "loop")[0] == 0
    plane.calls.clear()
    code, out, err = cli(capsys, "deploy", first, "-d", "loop")
    assert code == 0 and "flow_version: 1" in out
    assert err.startswith("unchanged: daily_loop version 1 (code sha256:")
    assert plane.calls == ["get_flow", "deployment loop -> 1"]  # no upload, no register


def test_an_explicit_version_with_the_same_code_is_registered_not_skipped(plane, capsys,
                                                                         tmp_path) -> None:
    assert cli(capsys, "deploy", flow_file(tmp_path, 1), "-d", "loop")[0] == 0
    code, out, err = cli(capsys, "deploy", flow_file(tmp_path, 1, version="2.0"), "-d", "loop")
    assert code == 0 and "flow_version: 2.0" in out and err.startswith("registered")


@pytest.mark.parametrize(("target", "fragment"), [
    ("missing.py", "file not found: missing.py"),
    ("missing.py:daily_loop", "file not found: missing.py"),
    ("{stem}:daily_loop", "did you mean {stem}.py:daily_loop?"),
    ("{file}:nope", "no flow named 'nope' in "),
    ("{dir}/notes.txt", "is not a .py file"),
    ("{dir}/spec.json", "is a FlowSpec; deploy the .py file"),
])
def test_a_bad_target_is_one_line_exit_2_and_contacts_nothing(plane, capsys, tmp_path,
                                                             monkeypatch, target,
                                                             fragment) -> None:
    monkeypatch.chdir(tmp_path)
    file = flow_file(tmp_path)
    (tmp_path / "notes.txt").write_text("not python")
    (tmp_path / "spec.json").write_text("{}")
    values = {"file": file, "stem": file[:-3], "dir": str(tmp_path)}
    code, out, err = cli(capsys, "deploy", target.format(**values), "-d", "loop")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err
    assert fragment.format(**values) in err
    assert plane.calls == []


def test_a_file_with_several_flows_asks_for_one(plane, capsys, tmp_path) -> None:
    path = tmp_path / "two_flows.py"
    path.write_text("from dagy import flow\n\n@flow\ndef a():\n    return 1\n\n"
                    "@flow\ndef b():\n    return 2\n")
    code, _, err = cli(capsys, "deploy", str(path))
    assert code == 2 and "defines several flows (a, b)" in err and plane.calls == []


def test_options_of_the_other_form_are_refused(plane, capsys, tmp_path) -> None:
    code, _, err = cli(capsys, "deploy", flow_file(tmp_path), "--flow-name", "other")
    assert code == 2 and "--flow-name applies to a built artifact" in err
    zip_path = tmp_path / "artifact.zip"
    zip_path.write_bytes(b"PK")
    code, _, err = cli(capsys, "deploy", str(zip_path), "--requirements", "r.txt")
    assert code == 2 and "apply to a source target" in err
    assert plane.calls == []


def test_an_upper_case_zip_is_the_artifact_form(plane, capsys, tmp_path) -> None:
    code, _, err = cli(capsys, "deploy", str(tmp_path / "BUILD.ZIP"))
    assert code == 2 and "artifact not found" in err and plane.calls == []


def test_the_artifact_form_reports_unchanged_code_too(plane, capsys, tmp_path) -> None:
    code, out, err = cli(capsys, "build", flow_file(tmp_path), "--output-dir", str(tmp_path))
    assert code == 0, err
    artifact = out.strip()
    code, out, err = cli(capsys, "deploy", artifact, "-d", "loop")
    assert code == 0 and err.startswith("registered daily_loop version 1 (code sha256:")
    code, again, err = cli(capsys, "deploy", artifact, "-d", "loop")
    assert code == 0 and again == out
    assert err.startswith("unchanged: daily_loop version 1 (code sha256:")
