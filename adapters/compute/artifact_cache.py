"""ExtractedArtifacts: each artifact unpacked once on disk, keyed by org and the ZIP's SHA-256.

Layout: `<cache>/<org_id>/<zip sha256>/`, so no org ever reuses a directory another org's
upload produced, and a directory always holds the one ZIP its name hashes to (the bytes
fetched from the store are hashed before they are unpacked). Unpacking goes to a temporary
directory renamed into place, within the artifact limits, and writes a record of what it
produced (`.dagy-extracted.json`: the ZIP's SHA-256, the code hash, a digest of every file).

A directory found on disk (a previous process, another worker) is trusted only after it is
checked again: its files must match the recorded digest and its sources must recompute to
the code hash the flow was registered with. Anything else is removed and unpacked afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from dagy.application.artifact_zip import extract_artifact, file_sha256
from dagy.domain.artifact_limits import EXTRACTION_RECORD, ArtifactLimits, ArtifactRejected
from dagy.domain.artifact_manifest import MANIFEST_ENTRY, SPEC_ENTRY, artifact_code_hash, parse_manifest
from dagy.domain.catalog import FlowRecord
from dagy.domain.errors import DagyError

_SHA256_ZIP = re.compile(r"([0-9a-f]{64})\.zip")
_ORG_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


class FlowLoadError(DagyError):
    pass


def artifact_identity(flow: FlowRecord) -> tuple[str, str]:
    """(org_id, ZIP SHA-256) of a registered flow: its artifact key ends in `<sha256>.zip`."""
    match = _SHA256_ZIP.fullmatch(str(flow.artifact_uri).rsplit("/", 1)[-1])
    if match is None or not _ORG_ID.fullmatch(str(flow.org_id)):
        raise FlowLoadError(f"artifact URI {flow.artifact_uri!r} does not name a ZIP by its "
                            "SHA-256")
    return flow.org_id, match.group(1)


class ExtractedArtifacts:
    def __init__(self, artifacts: Any, cache_dir: Path, limits: ArtifactLimits) -> None:
        self.artifacts, self.limits = artifacts, limits
        self.cache_dir = Path(cache_dir)
        self.cache_dir.mkdir(parents=True, exist_ok=True)

    def directory(self, flow: FlowRecord) -> Path:
        """The verified extracted directory of `flow`'s artifact (callers serialize)."""
        org_id, sha256 = artifact_identity(flow)
        target = self.cache_dir / org_id / sha256
        if target.exists() or target.is_symlink():
            if self._still_valid(target, flow, sha256):
                return target
            _remove(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".extract-"))
        try:
            self._extract(flow, sha256, staging)
            try:
                os.rename(staging, target)
            except OSError:  # another worker put it there first: use theirs if it checks out
                if not self._still_valid(target, flow, sha256):
                    raise FlowLoadError(f"cannot install the extracted artifact at {target}")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return target

    def _extract(self, flow: FlowRecord, sha256: str, staging: Path) -> None:
        with tempfile.TemporaryFile(prefix="dagy-artifact-") as file:
            self.artifacts.get_file(flow.artifact_uri, file)
            actual, _ = file_sha256(file)
            if actual != sha256:
                raise FlowLoadError(f"artifact {flow.artifact_uri} does not hold the bytes its "
                                    f"name says (its SHA-256 is {actual})")
            try:
                extract_artifact(file, staging, self.limits)
            except ArtifactRejected as exc:
                raise FlowLoadError(str(exc)) from None
            except OSError as exc:
                raise FlowLoadError(f"cannot extract artifact {flow.artifact_uri}: {exc}") from None
        code_hash = _sources_code_hash(staging)
        if code_hash != flow.code_hash:
            raise FlowLoadError(f"artifact {flow.artifact_uri} holds code {code_hash[:16]}..., "
                                f"not the registered {flow.code_hash[:16]}...")
        record = {"sha256": sha256, "code_hash": code_hash, "tree": tree_digest(staging)}
        (staging / EXTRACTION_RECORD).write_text(json.dumps(record, sort_keys=True))

    def _still_valid(self, target: Path, flow: FlowRecord, sha256: str) -> bool:
        try:
            if target.is_symlink() or not target.is_dir():
                return False
            record = json.loads((target / EXTRACTION_RECORD).read_text())
            return (isinstance(record, dict) and record.get("sha256") == sha256
                    and record.get("code_hash") == flow.code_hash
                    and record.get("tree") == tree_digest(target)
                    and _sources_code_hash(target) == flow.code_hash)
        except (OSError, ValueError, DagyError):
            return False


def tree_digest(root: Path) -> str:
    """SHA-256 over every path under `root` with its content (the record excluded).
    Anything but plain files and directories (a symlink, a device) fails the check."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        here = Path(dirpath)
        for name in sorted(dirnames + filenames):
            path = here / name
            relative = path.relative_to(root).as_posix()
            if relative == EXTRACTION_RECORD:
                continue
            if path.is_symlink():
                raise FlowLoadError(f"extracted artifact holds a symlink: {relative}")
            digest.update(relative.encode("utf-8", "surrogateescape") + b"\0")
            if path.is_file():
                with open(path, "rb") as fh:
                    digest.update(hashlib.file_digest(fh, "sha256").digest())
            elif not path.is_dir():
                raise FlowLoadError(f"extracted artifact holds a special file: {relative}")
    return digest.hexdigest()


def _sources_code_hash(root: Path) -> str:
    """The code hash recomputed from an extracted directory, by the one artifact rule."""
    manifest = parse_manifest(_read_inside(root, MANIFEST_ENTRY))
    return artifact_code_hash(_read_inside(root, SPEC_ENTRY), manifest.sources,
                              lambda name: _read_inside(root, name))


def _read_inside(root: Path, name: str) -> bytes:
    path = root.joinpath(*name.split("/"))
    if not path.resolve().is_relative_to(root.resolve()) or not path.is_file():
        raise FlowLoadError(f"extracted artifact file {name!r} is missing or leads outside it")
    return path.read_bytes()


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)
