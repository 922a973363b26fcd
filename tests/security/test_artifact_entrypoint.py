"""A manifest's entrypoint resolves inside the extracted artifact, or nothing is imported.

The entrypoint is not covered by the code hash, so a ZIP whose sources verify can still
name any module: it must be dotted identifiers, its file must be in the artifact, and its
real path (symlinks resolved) must lie under the artifact root. Refused at upload and
register (422), and at load the run FAILS saying why.
"""

from __future__ import annotations

import hashlib

import pytest
from artifact_harness import BACKENDS, GREETER, Stack, build_zip, database, error_of
from artifact_zips import entries_of, manifest_of, with_manifest, zip_of
from hypothesis import given
from hypothesis import strategies as st

from dagy.adapters.compute.artifact_loader import FlowLoadError, _entrypoint_file
from dagy.domain.artifact_limits import ArtifactRejected
from dagy.domain.artifact_manifest import parse_entrypoint

OUTSIDE = ["/tmp/evil_module:flow", "../../evil:flow", "os.path:join", "evil/module:flow",
           "public_greeter", "public_greeter:", ":greeter", "public_greeter:greeter.plan",
           "1public:greeter", "public greeter:greeter", "public_greeter:greeter\n",
           "C:\\evil:flow", "public_greeter.:greeter", ".public_greeter:greeter", 7, None]


@pytest.fixture(params=BACKENDS)
def stack(request, tmp_path):
    with database(request.param, tmp_path) as engine:
        stack = Stack(engine, tmp_path / "home")
        stack.org("org-a")
        yield stack
        stack.close()


@pytest.fixture
def genuine(tmp_path) -> bytes:
    return build_zip(tmp_path, GREETER.replace("{marker}", "genuine"))[0]


@pytest.mark.parametrize("entrypoint", OUTSIDE)
def test_upload_refuses_an_entrypoint_outside_the_artifact(stack, genuine, entrypoint):
    crafted = zip_of(with_manifest(entries_of(genuine), entrypoint=entrypoint))
    error = error_of(stack.upload("org-a", crafted), 422)
    assert "entrypoint" in error["message"]
    assert not list((stack.home / "artifacts").rglob("*.zip"))  # nothing was stored


def test_register_refuses_a_planted_zip_with_an_outside_entrypoint(stack, genuine):
    crafted = zip_of(with_manifest(entries_of(genuine), entrypoint="/tmp/evil_module:flow"))
    key = f"{stack.org_ids['org-a']}/greeter/{hashlib.sha256(crafted).hexdigest()}.zip"
    uri = stack.deps.artifacts.put(key, crafted)
    assert "entrypoint" in error_of(stack.register("org-a", uri), 422)["message"]


@pytest.mark.parametrize("entrypoint", ["/tmp/evil_module:flow", "os.path:join"])
def test_a_run_of_an_artifact_with_an_outside_entrypoint_fails_saying_why(
        stack, genuine, tmp_path, entrypoint):
    evil = tmp_path / "evil_module.py"
    evil.write_text(f"open({str(tmp_path / 'pwned')!r}, 'w').write('x')\nflow = None\n")
    entries = with_manifest(entries_of(genuine), entrypoint=entrypoint)
    stack.plant("org-a", zip_of(entries), manifest_of(entries)["code_hash"])
    run = stack.run("org-a", name="a")
    assert run["status"] == "FAILED", run
    assert "entrypoint" in run["error_message"]
    assert not (tmp_path / "pwned").exists()


def test_an_entrypoint_file_symlinked_out_of_the_root_is_refused(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside.py"
    root.mkdir()
    outside.write_text("flow = None\n")
    (root / "mod.py").symlink_to(outside)
    with pytest.raises(FlowLoadError, match="outside the artifact"):
        _entrypoint_file(root, "mod")
    (root / "pkg").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "__init__.py").write_text("")
    with pytest.raises(FlowLoadError, match="outside the artifact"):
        _entrypoint_file(root, "pkg")
    (root / "inside.py").write_text("flow = None\n")
    assert _entrypoint_file(root, "inside") == (root / "inside.py").resolve()


@given(st.text(max_size=40))
def test_an_accepted_entrypoint_is_only_dotted_identifiers(value):
    try:
        module, attribute = parse_entrypoint(value)
    except ArtifactRejected:
        return
    assert value == f"{module}:{attribute}" and value.isascii()
    assert all(part.isidentifier() for part in [*module.split("."), attribute])
    assert not any(ch in value for ch in "/\\ \n\0")
