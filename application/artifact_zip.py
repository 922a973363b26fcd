"""Read and unpack artifact ZIPs within the limits, and derive what an artifact is.

The server never takes a client's word for an artifact. `inspect_artifact` reads the ZIP
itself, every entry, counting the bytes it really inflates to, and returns its SHA-256,
manifest, FlowSpec and recomputed code hash. `extract_artifact` unpacks with the same
checks, counting the bytes as they are written. Both work on a seekable binary file, so
a 250 MB ZIP is never held in memory.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from dagy.domain.artifact_limits import (ArtifactLimitExceeded, ArtifactLimits, ArtifactRejected,
                                    UnpackBudget, check_declared, entry_problem)
from dagy.domain.artifact_manifest import (MANIFEST_ENTRY, MAX_MANIFEST_BYTES, SPEC_ENTRY, Manifest,
                                      artifact_code_hash, module_files, parse_manifest)
from dagy.domain.errors import SpecError
from dagy.domain.flowspec import FlowSpec

CHUNK = 1024 * 1024
# A central directory entry is 46 bytes plus its name; real names stay far under 512.
CENTRAL_DIRECTORY_BYTES_PER_FILE = 512
# Sources and spec are read into memory to be hashed: project code, not vendored packages.
MAX_SOURCE_BYTES = 128 * 1024 * 1024
_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError, zipfile.LargeZipFile)


@dataclass(frozen=True)
class ArtifactContents:
    """What the server itself read out of one artifact ZIP."""

    sha256: str
    size: int
    manifest: Manifest
    spec: FlowSpec
    code_hash: str


def file_sha256(file: BinaryIO) -> tuple[str, int]:
    """(hex SHA-256, size) of a whole seekable file, read in chunks; rewinds it."""
    file.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := file.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


def inspect_artifact(file: BinaryIO, limits: ArtifactLimits, *,
                     sha256: str | None = None) -> ArtifactContents:
    """Check a ZIP completely (limits from its headers and from the bytes it inflates to,
    entry names, CRCs, manifest, entrypoint module present) and recompute its code hash.
    `sha256` is the file's digest when the caller took it already (while receiving it).
    Raises ArtifactRejected (or ArtifactLimitExceeded) saying what is wrong."""
    if sha256 is None:
        sha256, size = file_sha256(file)
    else:
        size = file.seek(0, os.SEEK_END)
        file.seek(0)
    with _open_zip(file, size, limits) as (archive, infos, budget):
        by_name = {info.filename: info for info in infos}
        manifest_info = by_name.get(MANIFEST_ENTRY)
        if manifest_info is None:
            raise ArtifactRejected(f"artifact has no {MANIFEST_ENTRY}: build it with `dagy build`")
        if manifest_info.file_size > MAX_MANIFEST_BYTES:
            raise ArtifactRejected(f"artifact {MANIFEST_ENTRY} is over {MAX_MANIFEST_BYTES} bytes")
        manifest = parse_manifest(_read(archive, manifest_info, budget))
        wanted = {*manifest.sources, SPEC_ENTRY}
        if missing := sorted(wanted - by_name.keys()):
            raise ArtifactRejected(f"artifact lacks files its manifest lists: {', '.join(missing)}")
        if not any(name in by_name for name in module_files(manifest.module)):
            raise ArtifactRejected(f"manifest entrypoint module {manifest.module!r} is not in "
                                   "the artifact")
        if sum(by_name[name].file_size for name in wanted) > MAX_SOURCE_BYTES:
            raise ArtifactRejected(f"artifact sources are over {MAX_SOURCE_BYTES} bytes")
        kept: dict[str, bytes] = {}
        for info in infos:
            if info.filename == MANIFEST_ENTRY or info.is_dir():
                continue
            if info.filename in wanted:
                kept[info.filename] = _read(archive, info, budget)
            else:
                _read(archive, info, budget, sink=lambda chunk: None)
    try:
        spec = FlowSpec.from_json(kept[SPEC_ENTRY].decode("utf-8"))
        code_hash = artifact_code_hash(kept[SPEC_ENTRY], manifest.sources, kept.__getitem__)
    except (UnicodeDecodeError, ValueError, RecursionError, SpecError) as exc:
        raise ArtifactRejected(f"artifact {SPEC_ENTRY} is not a valid FlowSpec: {exc}") from None
    if code_hash != manifest.code_hash:
        raise ArtifactRejected(
            f"artifact manifest code_hash {manifest.code_hash[:16]}... does not match its spec "
            f"and sources (recomputed {code_hash[:16]}...): the ZIP was changed after its build")
    if spec.name != manifest.flow_name:
        raise ArtifactRejected(f"artifact spec is for flow {spec.name!r}, its manifest for "
                               f"{manifest.flow_name!r}")
    return ArtifactContents(sha256, size, manifest, spec, code_hash)


def extract_artifact(file: BinaryIO, target: Path, limits: ArtifactLimits) -> None:
    """Unpack a ZIP into the empty directory `target`, refusing it (ArtifactRejected) as
    soon as the bytes written pass a limit, whatever its headers declared."""
    size = file.seek(0, os.SEEK_END)
    file.seek(0)
    with _open_zip(file, size, limits) as (archive, infos, budget):
        for info in infos:
            dest = target.joinpath(*info.filename.rstrip("/").split("/"))
            if info.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            with open(dest, "xb") as out:  # "x": a fresh file, never through a symlink
                _read(archive, info, budget, sink=out.write)


@contextmanager
def _open_zip(file: BinaryIO, size: int, limits: ArtifactLimits,
              ) -> Iterator[tuple[zipfile.ZipFile, list[zipfile.ZipInfo], UnpackBudget]]:
    _check_end_record(file, limits)
    try:
        archive = zipfile.ZipFile(file)
    except _CORRUPT + (OSError,) as exc:
        raise ArtifactRejected(f"artifact is not a valid ZIP file: {exc}") from None
    with archive:
        infos = archive.infolist()
        check_declared((info.file_size for info in infos), size, limits)
        seen: set[str] = set()
        for info in infos:
            if problem := entry_problem(info.filename):
                raise ArtifactRejected(problem)
            if info.filename.rstrip("/") in seen:
                raise ArtifactRejected(f"artifact has two entries named {info.filename!r}")
            seen.add(info.filename.rstrip("/"))
            if info.flag_bits & 0x1:
                raise ArtifactRejected(f"artifact entry {info.filename!r} is encrypted")
        try:
            yield archive, infos, UnpackBudget(size, limits)
        except _CORRUPT as exc:
            raise ArtifactRejected(f"artifact ZIP is corrupt: {exc}") from None


def _check_end_record(file: BinaryIO, limits: ArtifactLimits) -> None:
    """Bound the central directory before zipfile parses all of it into memory."""
    try:
        end = zipfile._EndRecData(file)  # the stdlib's own end-of-archive record reader
    except (OSError, *_CORRUPT):
        end = None
    if not end:
        raise ArtifactRejected("artifact is not a ZIP file")
    if end[zipfile._ECD_ENTRIES_TOTAL] > limits.max_files:
        raise ArtifactLimitExceeded(
            "max_files", f"artifact declares {end[zipfile._ECD_ENTRIES_TOTAL]} entries, over the "
            f"limit of {limits.max_files} files (DAGY_ARTIFACT_MAX_FILES)")
    if end[zipfile._ECD_SIZE] > max(1024 * 1024, limits.max_files * CENTRAL_DIRECTORY_BYTES_PER_FILE):
        raise ArtifactLimitExceeded(
            "max_files", f"artifact central directory is {end[zipfile._ECD_SIZE]} bytes, more "
            f"than {limits.max_files} files need (DAGY_ARTIFACT_MAX_FILES)")
    file.seek(0)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: UnpackBudget,
          sink: Callable[[bytes], object] | None = None) -> bytes:
    """Inflate one entry chunk by chunk, counting real bytes against the budget and the
    entry's declared size; returns the bytes unless a `sink` takes them."""
    parts: list[bytes] = []
    produced = 0
    with archive.open(info) as handle:
        while chunk := handle.read(CHUNK):
            produced += len(chunk)
            budget.add(len(chunk))
            if produced > info.file_size:
                raise ArtifactRejected(f"artifact entry {info.filename!r} inflates past the "
                                       f"{info.file_size} bytes its header declares")
            if sink is None:
                parts.append(chunk)
            else:
                sink(chunk)
    return b"".join(parts)
