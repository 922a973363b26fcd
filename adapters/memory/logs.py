"""InMemoryLogSink: run logs in a dict of lists, safe to use from many threads."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Sequence

from dagy.adapters.storage_rules import LogSinkError, check_limit, parse_cursor, to_utc
from dagy.application.ports.storage import LogLine

__all__ = ["InMemoryLogSink", "LogSinkError"]


class InMemoryLogSink:
    """Cursor = number of the run's lines already read (see dagy.adapters.local.logs)."""

    def __init__(self) -> None:
        self._lines: dict[tuple[str, str], list[tuple[str, str, LogLine]]] = {}
        self._lock = threading.Lock()

    def write(self, org_id: str, group: str, stream: str, run_id: str,
              lines: Sequence[LogLine]) -> None:
        stored = [(group, stream, replace(line, timestamp=to_utc(line.timestamp)))
                  for line in lines]
        with self._lock:
            self._lines.setdefault((org_id, run_id), []).extend(stored)

    def read(self, org_id: str, run_id: str, *, limit: int = 1000,
             cursor: str | None = None) -> tuple[list[LogLine], str | None]:
        check_limit(limit)
        start = parse_cursor(cursor)
        with self._lock:
            page = self._lines.get((org_id, run_id), [])[start:start + limit]
        if not page:
            return [], cursor
        return [line for _, _, line in page], str(start + len(page))

    def streams(self, org_id: str, run_id: str) -> list[tuple[str, str]]:
        """The distinct (group, stream) pairs the run's lines were written under, in order."""
        with self._lock:
            pairs = [(g, s) for g, s, _ in self._lines.get((org_id, run_id), [])]
        return list(dict.fromkeys(pairs))
