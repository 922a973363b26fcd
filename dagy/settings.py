"""Where Dagy keeps local state: `DAGY_HOME` (default `~/.dagy`). Nothing is written elsewhere."""

from __future__ import annotations

import os
from pathlib import Path


def dagy_home() -> Path:
    """The local state directory, created on first use."""
    home = Path(os.environ.get("DAGY_HOME") or Path.home() / ".dagy").expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


def default_max_workers() -> int:
    """Thread-pool size for local runs: DAGY_MAX_WORKERS, else min(32, cpus + 4)."""
    configured = os.environ.get("DAGY_MAX_WORKERS")
    if configured and configured.isdigit() and int(configured) > 0:
        return int(configured)
    return min(32, (os.cpu_count() or 1) + 4)
