"""One org's code never runs for another: the server derives an artifact's identity itself.

The attack: org B uploads its own ZIP claiming the code hash of org A's public flow (in
the upload header, in a rewritten manifest, in POST /flows, in bytes planted in the store),
then runs its own flow so its code sits in the caches; later A deploys the genuine artifact.
A's runs must execute A's code, before and after a restart that keeps the disk cache, and
even when the cached directory was tampered with.
"""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from artifact_harness import BACKENDS, GREETER, Stack, build_zip, database, error_of
from artifact_zips import entries_of, manifest_of, sealed, with_manifest, zip_of

from dagy.domain.artifact_limits import EXTRACTION_RECORD


@pytest.fixture(params=BACKENDS)
def stack(request, tmp_path):
    with database(request.param, tmp_path) as engine:
        stack = Stack(engine, tmp_path / "home")
        stack.org("org-a"), stack.org("org-b")
        yield stack
        stack.close()


def test_org_b_cannot_make_org_a_run_its_code(stack, tmp_path):
    genuine, hash_a = build_zip(tmp_path, GREETER.replace("{marker}", "genuine"))
    evil, hash_b = build_zip(tmp_path, GREETER.replace("{marker}", "evil"))
    assert hash_a != hash_b

    # B claims A's code hash for its own ZIP in every way the API offers
    claimed = stack.upload("org-b", evil, **{"X-Dagy-Code-Hash": hash_a})
    assert "code_hash does not match" in error_of(claimed, 422)["message"]
    forged = zip_of(with_manifest(entries_of(evil), code_hash=hash_a))
    assert "does not match its spec and sources" in error_of(
        stack.upload("org-b", forged), 422)["message"]
    uploaded = stack.upload("org-b", evil)
    assert uploaded.status_code == 201 and uploaded.json()["code_hash"] == hash_b
    evil_uri = uploaded.json()["artifact_uri"]
    error_of(stack.register("org-b", evil_uri, code_hash=hash_a), 422)
    other_spec = json.loads(entries_of(genuine)["flow_spec.json"])
    other_spec["tasks"][0]["retries"] = 3
    error_of(stack.register("org-b", evil_uri, flow_spec=other_spec), 422)

    # bytes planted straight in the store (as a presigned PUT would) under a key naming
    # another digest, or with a manifest claiming A's hash, are refused at register
    planted = stack.deps.artifacts.put(evil_uri.rsplit("/", 3)[-3] + "/greeter/" + "0" * 64
                                       + ".zip", evil)
    assert "does not hold the bytes its name says" in error_of(
        stack.register("org-b", planted), 422)["message"]
    forged_key = f"{evil_uri.rsplit('/', 3)[-3]}/greeter/{hashlib.sha256(forged).hexdigest()}.zip"
    error_of(stack.register("org-b", stack.deps.artifacts.put(forged_key, forged),
                            code_hash=hash_a), 422)

    # B's own flow, honestly registered, runs B's code and fills the caches
    stack.deploy("org-b", evil)
    assert stack.run("org-b", name="b")["result"] == "evil b"

    # A deploys the genuine artifact: A's run executes A's code
    stack.deploy("org-a", genuine)
    assert stack.call("org-a", "GET", "/flows/greeter").json()["code_hash"] == hash_a
    done = stack.run("org-a", name="a")
    assert (done["status"], done["result"]) == ("SUCCEEDED", "genuine a"), done

    # a restart keeps the disk cache and forgets the in-memory plans
    stack.restart()
    assert stack.run("org-a", name="a")["result"] == "genuine a"
    assert stack.run("org-b", name="b")["result"] == "evil b"


def test_a_tampered_cache_directory_is_extracted_again(stack, tmp_path):
    genuine, hash_a = build_zip(tmp_path, GREETER.replace("{marker}", "genuine"))
    evil, _ = build_zip(tmp_path, GREETER.replace("{marker}", "evil"))
    uri = stack.deploy("org-a", genuine)
    assert stack.run("org-a", name="a")["result"] == "genuine a"
    cached = [p for p in (stack.home / "cache").rglob(EXTRACTION_RECORD)]
    assert len(cached) == 1 and uri.rsplit("/", 1)[1][:-4] == cached[0].parent.name
    root = cached[0].parent
    assert root.parent.name in uri  # keyed by org, then the ZIP's SHA-256

    # swap in B's source: the recorded digest no longer matches
    (root / "public_greeter.py").write_bytes(entries_of(evil)["public_greeter.py"])
    stack.restart()
    assert stack.run("org-a", name="a")["result"] == "genuine a"

    # swap it in again and forge the record too: the sources no longer hash to A's code
    from dagy.adapters.compute.artifact_cache import tree_digest
    (root / "public_greeter.py").write_bytes(entries_of(evil)["public_greeter.py"])
    record = json.loads((root / EXTRACTION_RECORD).read_text())
    (root / EXTRACTION_RECORD).write_text(json.dumps({**record, "tree": tree_digest(root)}))
    stack.restart()
    assert stack.run("org-a", name="a")["result"] == "genuine a"

    # a cache directory replaced by a symlink to B's tree is not followed
    elsewhere = tmp_path / "planted"
    shutil.copytree(root, elsewhere)
    (elsewhere / "public_greeter.py").write_bytes(entries_of(evil)["public_greeter.py"])
    shutil.rmtree(root)
    root.symlink_to(elsewhere, target_is_directory=True)
    stack.restart()
    assert stack.run("org-a", name="a")["result"] == "genuine a"
    assert hash_a == stack.call("org-a", "GET", "/flows/greeter").json()["code_hash"]


def test_register_derives_code_hash_and_spec_when_the_client_sends_neither(stack, tmp_path):
    genuine, hash_a = build_zip(tmp_path, GREETER.replace("{marker}", "genuine"))
    uri = stack.upload("org-a", genuine).json()["artifact_uri"]
    registered = stack.register("org-a", uri)
    assert registered.status_code == 201 and registered.json()["code_hash"] == hash_a
    spec = stack.call("org-a", "GET", "/flows/greeter/versions/1.0.0").json()["flow_spec"]
    assert [t["name"] for t in spec["tasks"]] == ["greet"]
    # the same values sent explicitly are accepted (existing clients send both)
    again = stack.register("org-a", uri, code_hash=hash_a,
                           flow_spec=json.loads(entries_of(genuine)["flow_spec.json"]))
    assert again.status_code == 200, again.text


def test_an_edited_but_resealed_source_is_new_code_not_a_collision(stack, tmp_path):
    genuine, hash_a = build_zip(tmp_path, GREETER.replace("{marker}", "genuine"))
    entries = entries_of(genuine)
    entries["public_greeter.py"] = entries["public_greeter.py"].replace(b"genuine", b"other")
    resealed = zip_of(sealed(entries))
    response = stack.upload("org-b", resealed)
    assert response.status_code == 201
    assert response.json()["code_hash"] == manifest_of(sealed(entries))["code_hash"] != hash_a
