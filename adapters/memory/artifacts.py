"""InMemoryArtifactStore: artifacts in a dict, addressed by `memory://<key>` URIs."""

from __future__ import annotations

import threading
from typing import BinaryIO

from dagy.adapters.storage_rules import ArtifactStoreError, check_key, key_problem
from dagy.domain.errors import NotFoundError

MEMORY_SCHEME = "memory://"


class InMemoryArtifactStore:
    """Same key rules and errors as the file and S3 stores; thread-safe."""

    def __init__(self) -> None:
        self._objects: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def put(self, key: str, data: bytes) -> str:
        check_key(key)
        with self._lock:
            self._objects[key] = bytes(data)
        return MEMORY_SCHEME + key

    def get(self, uri: str) -> bytes:
        key = self._key(uri)
        with self._lock:
            data = self._objects.get(key)
        if data is None:
            raise NotFoundError(f"artifact {uri} does not exist")
        return data

    def put_file(self, key: str, file: BinaryIO) -> str:
        return self.put(key, file.read())

    def get_file(self, uri: str, file: BinaryIO) -> None:
        file.write(self.get(uri))

    def exists(self, uri: str) -> bool:
        key = self._key(uri)
        with self._lock:
            return key in self._objects

    def presign_upload(self, key: str, expires_seconds: int = 900, *,
                       sha256: str | None = None) -> None:
        """Nothing outside this process can write here: uploads go through the API."""
        check_key(key)
        return None

    def _key(self, uri: str) -> str:
        if not isinstance(uri, str) or not uri.startswith(MEMORY_SCHEME):
            raise ArtifactStoreError(f"{uri!r} is not a memory:// artifact URI")
        key = uri[len(MEMORY_SCHEME):]
        problem = key_problem(key)
        if problem:
            raise ArtifactStoreError(f"artifact URI {uri}: {problem}")
        return key
