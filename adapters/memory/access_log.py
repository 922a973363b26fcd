"""AccessLogSink in memory: a list under a lock, for the memory profile and tests."""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime
from typing import Sequence

from dagy.domain.access_log import AccessLogEntry


class InMemoryAccessLogSink:
    def __init__(self) -> None:
        self._entries: list[AccessLogEntry] = []  # log_id order: oldest first
        self._lock = threading.Lock()
        self._next_id = 1

    def append_batch(self, entries: Sequence[AccessLogEntry]) -> None:
        with self._lock:
            for entry in entries:
                self._entries.append(dataclasses.replace(entry, log_id=self._next_id))
                self._next_id += 1

    def delete_older_than(self, cutoff: datetime, limit: int) -> int:
        with self._lock:
            old = sorted((e for e in self._entries if e.at < cutoff),
                         key=lambda e: (e.at, e.log_id))[:max(limit, 0)]
            doomed = {e.log_id for e in old}
            self._entries = [e for e in self._entries if e.log_id not in doomed]
            return len(doomed)

    def list(self, org_id: str, *, limit: int = 100,
             before: int | None = None) -> list[AccessLogEntry]:
        with self._lock:
            found = []
            for entry in reversed(self._entries):
                if len(found) >= limit:
                    break
                if entry.org_id == org_id and (before is None or entry.log_id < before):
                    found.append(entry)
            return found
