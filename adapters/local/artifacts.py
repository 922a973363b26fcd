"""LocalArtifactStore: artifacts as files under a root directory, addressed by `file://` URIs.

Also home of the key rules every artifact store shares: a key is one or more `/`-separated
segments of `[A-Za-z0-9._-]`, no segment empty or starting with `.` (so no `..`, no
hidden or temporary files), no leading `/`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

from dagy.domain.errors import NotFoundError

FILE_SCHEME = "file://"
CHUNK = 1024 * 1024
from dagy.adapters.storage_rules import ArtifactStoreError, check_key, key_problem  # noqa: F401 (re-exported)


class LocalArtifactStore:
    """`put` writes atomically (temporary file in the same directory, then `os.replace`),
    so a reader sees the old content or the new one, never a partial file."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).expanduser().resolve()

    def put(self, key: str, data: bytes) -> str:
        return self._write(key, lambda fh: fh.write(data))

    def put_file(self, key: str, file: BinaryIO) -> str:
        return self._write(key, lambda fh: shutil.copyfileobj(file, fh, CHUNK))

    def get_file(self, uri: str, file: BinaryIO) -> None:
        path = self._path(uri)
        try:
            with open(path, "rb") as fh:
                shutil.copyfileobj(fh, file, CHUNK)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise NotFoundError(f"artifact {uri} does not exist") from None
        except OSError as exc:
            raise ArtifactStoreError(f"cannot read artifact {uri}: {exc.strerror or exc}") from exc

    def _write(self, key: str, write: Callable[[BinaryIO], object]) -> str:
        path = self.root / check_key(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    write(fh)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
            except BaseException:
                _unlink_quietly(tmp)
                raise
        except OSError as exc:
            raise ArtifactStoreError(f"cannot write artifact {key!r} under {self.root}: "
                                     f"{exc.strerror or exc}") from exc
        return FILE_SCHEME + str(path)

    def get(self, uri: str) -> bytes:
        path = self._path(uri)
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise NotFoundError(f"artifact {uri} does not exist") from None
        except OSError as exc:
            raise ArtifactStoreError(f"cannot read artifact {uri}: {exc.strerror or exc}") from exc

    def exists(self, uri: str) -> bool:
        path = self._path(uri)
        try:
            return path.is_file()
        except OSError as exc:
            raise ArtifactStoreError(f"cannot check artifact {uri}: {exc.strerror or exc}") from exc

    def presign_upload(self, key: str, expires_seconds: int = 900, *,
                       sha256: str | None = None) -> None:
        """A directory has no upload URL: artifacts reach it through the API (`put`)."""
        check_key(key)
        return None

    def _path(self, uri: str) -> Path:
        """The file a URI names, provided it is a valid key under this store's root."""
        if not isinstance(uri, str) or not uri.startswith(FILE_SCHEME):
            raise ArtifactStoreError(f"{uri!r} is not a file:// artifact URI")
        raw = uri[len(FILE_SCHEME):]
        root = str(self.root).rstrip(os.sep)
        if not raw.startswith(root + "/"):
            raise ArtifactStoreError(f"artifact URI {uri} is outside this store ({self.root})")
        problem = key_problem(raw[len(root) + 1:])
        if problem:
            raise ArtifactStoreError(f"artifact URI {uri}: {problem}")
        path = Path(raw)
        try:  # a symlink inside the root must not lead out of it
            if not path.resolve().is_relative_to(self.root):
                raise ArtifactStoreError(f"artifact URI {uri} resolves outside {self.root}")
        except OSError as exc:
            raise ArtifactStoreError(f"cannot resolve artifact {uri}: {exc}") from exc
        return path


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
