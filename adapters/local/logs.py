"""FileLogSink: run logs as JSON lines at `<root>/<org_id>/<run_id>.jsonl`.

Also the rules every log sink shares. The cursor `read` returns is the position after the
last line it returned (the given cursor when it returned none): pass it back to get only
later lines, now or after more are written. A page shorter than `limit` means the reader
has caught up. Timestamps come back timezone-aware in UTC (naive ones are taken as UTC).
"""

from __future__ import annotations

import json
import os
import re
import threading
from datetime import datetime
from pathlib import Path
from typing import Sequence

from dagy.application.ports.storage import LogLine

_SAFE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}")
_MAX_CURSOR = 2**63 - 1
_WRITE_LOCK = threading.Lock()  # shared by every FileLogSink of the process
from dagy.adapters.storage_rules import LogSinkError, check_limit, parse_cursor, to_utc  # noqa: F401 (re-exported)


class FileLogSink:
    """Appends are serialized by a process-wide lock and issued as one write per batch;
    a trailing line without its newline (a write in progress) is not read."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).expanduser().resolve()

    def write(self, org_id: str, group: str, stream: str, run_id: str,
              lines: Sequence[LogLine]) -> None:
        path = self._path(org_id, run_id)
        if not lines:
            return
        payload = "".join(json.dumps({
            "timestamp": to_utc(line.timestamp).isoformat(), "level": line.level,
            "message": line.message, "task_run_id": line.task_run_id,
            "group": group, "stream": stream,
        }, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")
        try:
            with _WRITE_LOCK:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                try:
                    view = memoryview(payload)
                    while view:
                        view = view[os.write(fd, view):]
                finally:
                    os.close(fd)
        except OSError as exc:
            raise LogSinkError(f"cannot append logs to {path}: {exc.strerror or exc}") from exc

    def read(self, org_id: str, run_id: str, *, limit: int = 1000,
             cursor: str | None = None) -> tuple[list[LogLine], str | None]:
        path = self._path(org_id, run_id)
        check_limit(limit)
        start = parse_cursor(cursor)
        out: list[LogLine] = []
        position = start
        try:
            with open(path, "rb") as fh:
                for number, raw in enumerate(fh):
                    if position - start >= limit or not raw.endswith(b"\n"):
                        break
                    if number < start:
                        continue
                    position = number + 1
                    line = _decode(raw)
                    if line is not None:
                        out.append(line)
        except FileNotFoundError:
            return [], cursor
        except OSError as exc:
            raise LogSinkError(f"cannot read logs from {path}: {exc.strerror or exc}") from exc
        return out, (str(position) if position > start else cursor)

    def _path(self, org_id: str, run_id: str) -> Path:
        for label, value in (("org_id", org_id), ("run_id", run_id)):
            if not isinstance(value, str) or not _SAFE_NAME.fullmatch(value):
                raise LogSinkError(f"{label} {value!r} cannot name a log file: use letters, "
                                   f"digits, '.', '_' and '-' (not first '.')")
        return self.root / org_id / f"{run_id}.jsonl"


def _decode(raw: bytes) -> LogLine | None:
    """A stored line, or None for one that is not valid (it still counts as a position)."""
    try:
        data = json.loads(raw)
        return LogLine(timestamp=to_utc(datetime.fromisoformat(data["timestamp"])),
                       message=str(data["message"]), level=str(data.get("level") or "INFO"),
                       task_run_id=data.get("task_run_id"))
    except (ValueError, KeyError, TypeError):
        return None
