"""How big an artifact may unpack, and which entry names it may hold (pure rules, no I/O).

A ZIP's headers say how large each entry is, but headers are written by whoever built
the ZIP: the limits are checked once against what the central directory declares (cheap,
before anything is read) and again against the bytes really produced while reading or
extracting, so an archive whose headers lie is stopped by the same limits.

The ratio is taken over the whole archive (uncompressed bytes / ZIP bytes) and only once
more than RATIO_FLOOR_BYTES are unpacked: a tiny ZIP of a few repetitive source files can
compress 200:1 and harms nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from dagy.domain.errors import ValidationError

GiB = 1024 ** 3
RATIO_FLOOR_BYTES = 8 * 1024 * 1024
# written by the server beside the extracted files; no artifact may ship its own
EXTRACTION_RECORD = ".dagy-extracted.json"


class ArtifactRejected(ValidationError):
    """An artifact is not one the server will store or run (HTTP 422 at upload and
    register, a FAILED run with this message at load)."""


class ArtifactLimitExceeded(ArtifactRejected):
    """An artifact unpacks to more than one of the configured limits allows."""

    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True)
class ArtifactLimits:
    """Defaults leave wide headroom over real builds (docs/artifacts.md): a flow with
    pandas and pyarrow vendored unpacks to 273 MB in 4,021 files at 3.2:1, one with scipy
    and scikit-learn to 206 MB in 3,815 files at 3.3:1, one with boto3 to 24 MB at 1.4:1."""

    max_uncompressed_bytes: int = GiB
    max_files: int = 20_000
    max_ratio: float = 100.0

    def __post_init__(self) -> None:
        if self.max_uncompressed_bytes < 1 or self.max_files < 1 or not self.max_ratio >= 1:
            raise ValueError("artifact limits must be positive (ratio at least 1)")


def check_declared(sizes: Iterable[int], archive_bytes: int, limits: ArtifactLimits) -> None:
    """Refuse an archive whose central directory already declares too much."""
    count = total = 0
    for size in sizes:
        count += 1
        total += max(0, int(size))
    _check_count(count, limits)
    UnpackBudget(archive_bytes, limits).add(total)


def _check_count(count: int, limits: ArtifactLimits) -> None:
    if count > limits.max_files:
        raise ArtifactLimitExceeded(
            "max_files", f"artifact has {count} entries, over the limit of {limits.max_files} "
            "files (DAGY_ARTIFACT_MAX_FILES)")


class UnpackBudget:
    """Counts the bytes really unpacked from one archive and refuses once a limit is
    passed, whatever the headers said."""

    def __init__(self, archive_bytes: int, limits: ArtifactLimits) -> None:
        self.archive_bytes = max(1, int(archive_bytes))
        self.limits = limits
        self.total = 0

    def add(self, produced: int) -> None:
        self.total += produced
        limits = self.limits
        if self.total > limits.max_uncompressed_bytes:
            raise ArtifactLimitExceeded(
                "max_uncompressed_bytes",
                f"artifact unpacks to more than {limits.max_uncompressed_bytes} bytes, over the "
                "uncompressed size limit (DAGY_ARTIFACT_MAX_UNCOMPRESSED_BYTES)")
        ratio = self.total / self.archive_bytes
        if self.total > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
            raise ArtifactLimitExceeded(
                "max_ratio",
                f"artifact unpacks to {self.total} bytes from {self.archive_bytes} "
                f"({ratio:.0f}:1), over the compression ratio limit of {limits.max_ratio:g}:1 "
                "(DAGY_ARTIFACT_MAX_RATIO)")


def entry_problem(name: str) -> str | None:
    """Why a ZIP entry name cannot be extracted under the artifact root, or None."""
    if not name or "\x00" in name:
        return f"artifact entry {name!r} has an empty or NUL name"
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return f"artifact entry {name!r} is not a relative POSIX path"
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return f"artifact entry {name!r} escapes its directory or has an empty segment"
    if parts[0] == EXTRACTION_RECORD:
        return f"artifact entry {name!r} uses a name reserved by the server"
    return None
