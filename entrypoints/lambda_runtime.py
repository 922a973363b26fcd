"""What every Lambda handler of one process shares: the wired Deps, built on first use.

Built lazily (not at import) so a cold start pays only for what the invocation needs;
reused while the execution environment lives.
"""

from __future__ import annotations

from dagy.application.deps import Deps

_deps: Deps | None = None


def get_deps() -> Deps:
    global _deps
    if _deps is None:
        from dagy.entrypoints.container import build_container
        _deps = build_container().deps
    return _deps
