"""Keep stdout for a command's own output while user code runs.

Commands that import or run a flow file (run, build, flows, deploy) print results on
stdout that scripts parse; whatever the flow's module prints at import or while it
runs must not mix into it. Shared here so that every such command does it the same way.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Iterator


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Send whatever user code prints (also from threads and child processes) to
    stderr, so that stdout carries only the command's own output."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
        os.dup2(2, 1)
    except OSError:
        saved = None
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stderr.flush()
        if saved is not None:
            os.dup2(saved, 1)
            os.close(saved)
