"""Zip bombs: an artifact may unpack only so far (bytes, files, whole-archive ratio).

Checked against what the headers declare and against the bytes really inflated, at upload
(422 naming the limit's setting), at register for bytes planted in the store, and at load
(the run FAILS with the reason and nothing is left half-extracted).
"""

from __future__ import annotations

import hashlib
import struct

import pytest
from artifact_harness import BACKENDS, GREETER, Stack, build_zip, database, error_of
from artifact_zips import entries_of, manifest_of, zip_of
from hypothesis import given
from hypothesis import strategies as st

from dagy.domain.artifact_limits import (RATIO_FLOOR_BYTES, ArtifactLimitExceeded, ArtifactLimits,
                                    UnpackBudget, check_declared)

MiB = 1024 * 1024
LIMITS = ArtifactLimits(max_uncompressed_bytes=24 * MiB, max_files=40, max_ratio=100)
BOMB = 20 * MiB  # zeros: ~20 KB deflated, 1,000:1


def lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size of entry `name` in its local and central headers."""
    out, encoded = bytearray(data), name.encode()
    for signature, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30),
                                                    (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while (start := out.find(signature, start)) != -1:
            (length,) = struct.unpack_from("<H", out, start + name_len_at)
            if out[start + name_at:start + name_at + length] == encoded:
                struct.pack_into("<I", out, start + size_at, size)
            start += 4
    return bytes(out)


@pytest.fixture(params=BACKENDS)
def stack(request, tmp_path):
    with database(request.param, tmp_path) as engine:
        stack = Stack(engine, tmp_path / "home", limits=LIMITS)
        stack.org("org-a")
        yield stack
        stack.close()


@pytest.fixture
def genuine(tmp_path) -> dict[str, bytes]:
    return entries_of(build_zip(tmp_path, GREETER.replace("{marker}", "genuine"))[0])


def crafted(genuine: dict[str, bytes], kind: str) -> tuple[bytes, str]:
    """(ZIP, the setting its refusal must name) for each kind of bomb."""
    if kind == "files":
        return zip_of({**genuine, **{f"pad/{i}.txt": b"x" for i in range(50)}}), \
            "DAGY_ARTIFACT_MAX_FILES"
    if kind == "ratio":
        return zip_of({**genuine, "bomb.bin": bytes(BOMB)}), "DAGY_ARTIFACT_MAX_RATIO"
    if kind == "bytes":  # incompressible: over the size limit at a ratio of ~1
        return zip_of({**genuine, **{f"blob{i}.bin": hashlib.shake_256(bytes([i])).digest(9 * MiB)
                                     for i in range(3)}}), "DAGY_ARTIFACT_MAX_UNCOMPRESSED_BYTES"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["files", "ratio", "bytes"])
def test_upload_refuses_a_bomb_naming_the_limit(stack, genuine, kind):
    data, setting = crafted(genuine, kind)
    assert setting in error_of(stack.upload("org-a", data), 422)["message"]
    assert not list((stack.home / "artifacts").rglob("*.zip"))


def test_upload_refuses_a_zip_whose_headers_lie_about_its_size(stack, genuine):
    data = lie_about_size(zip_of({**genuine, "bomb.bin": bytes(BOMB)}), "bomb.bin", 1000)
    message = error_of(stack.upload("org-a", data), 422)["message"]
    assert "corrupt" in message or "declares" in message or "DAGY_ARTIFACT" in message
    assert not list((stack.home / "artifacts").rglob("*.zip"))


def test_register_refuses_a_bomb_planted_in_the_store(stack, genuine):
    data, setting = crafted(genuine, "ratio")
    key = f"{stack.org_ids['org-a']}/greeter/{hashlib.sha256(data).hexdigest()}.zip"
    uri = stack.deps.artifacts.put(key, data)
    assert setting in error_of(stack.register("org-a", uri), 422)["message"]


@pytest.mark.parametrize("kind", ["files", "ratio", "lying"])
def test_a_run_of_a_bomb_fails_with_the_reason_and_leaves_nothing_extracted(stack, genuine,
                                                                            kind):
    if kind == "lying":
        data = lie_about_size(zip_of({**genuine, "bomb.bin": bytes(BOMB)}), "bomb.bin", 1000)
        reasons = ("corrupt", "declares")
    else:
        data, setting = crafted(genuine, kind)
        reasons = (setting,)
    stack.plant("org-a", data, manifest_of(genuine)["code_hash"])
    run = stack.run("org-a", name="a")
    assert run["status"] == "FAILED", run
    assert any(reason in run["error_message"] for reason in reasons), run["error_message"]
    written = sum(p.stat().st_size for p in (stack.home / "cache").rglob("*") if p.is_file())
    assert written == 0  # the partial extraction is gone


def test_a_run_within_the_limits_still_succeeds(stack, genuine):
    data = zip_of({**genuine, "data/table.csv": b"a,b\n1,2\n" * 1000})
    stack.plant("org-a", data, manifest_of(genuine)["code_hash"])
    assert stack.run("org-a", name="a")["result"] == "genuine a"


def test_default_limits_accept_real_builds_with_vendored_requirements():
    # figures of real `dagy build --requirements` artifacts (docs/artifacts.md)
    for zip_bytes, unpacked, files in ((84_703_117, 273_378_784, 4_021),
                                       (62_413_445, 206_499_110, 3_815),
                                       (17_515_358, 23_801_587, 2_242)):
        check_declared([unpacked // files] * files, zip_bytes, ArtifactLimits())


@given(st.lists(st.integers(0, 4 * MiB), max_size=30), st.integers(1, 2 * MiB))
def test_the_budget_refuses_exactly_past_a_limit(chunks, archive_bytes):
    limits = ArtifactLimits(max_uncompressed_bytes=40 * MiB, max_files=10, max_ratio=50)
    budget, total = UnpackBudget(archive_bytes, limits), 0
    for chunk in chunks:
        total += chunk
        over = total > limits.max_uncompressed_bytes or (
            total > RATIO_FLOOR_BYTES and total / archive_bytes > limits.max_ratio)
        if over:
            with pytest.raises(ArtifactLimitExceeded):
                budget.add(chunk)
            return
        budget.add(chunk)
