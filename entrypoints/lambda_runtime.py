"""What every Lambda handler of one process shares: the wired Deps, built on first use,
and what the handlers make from it (the API's ASGI app), plus the relay after each call.

Built lazily (not at import) so a cold start pays only for what the invocation needs;
reused while the execution environment lives. The container is built with
migrate=False: the schema is migrated by the deploy step (`dagy db upgrade`), never by
a cold start. Tests (or an embedding) hand the handlers their own Deps with
`use_deps(deps)` (or `with serving(deps):`); `use_deps(None)` goes back to building
from the environment.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from dagy.application.deps import Deps
from dagy.application.use_cases.outbox import relay_outbox

logger = logging.getLogger("dagy.lambda_runtime")


def deps_from_environment() -> Deps:
    """The server profile over DAGY_* settings, without migrating (a deploy step)."""
    from dagy.entrypoints.container import build_container
    return build_container(migrate=False).deps


class LambdaRuntime:
    """One process's shared objects: a Deps, and parts made from it once (`part`)."""

    def __init__(self, build: Callable[[], Deps]) -> None:
        self._build = build
        self._deps: Deps | None = None
        self._parts: dict[str, Any] = {}
        self._lock = threading.RLock()

    def deps(self) -> Deps:
        if self._deps is None:
            with self._lock:
                if self._deps is None:
                    self._deps = self._build()
        return self._deps

    def part(self, name: str, make: Callable[[Deps], Any]) -> Any:
        """`make(deps)` on first use of `name`, then the same object until `use`."""
        if name not in self._parts:
            with self._lock:
                if name not in self._parts:
                    self._parts[name] = make(self.deps())
        return self._parts[name]

    def use(self, deps: Deps | None) -> None:
        """Serve later invocations from `deps` (None: build again on next use); the parts
        made from the previous Deps are dropped."""
        with self._lock:
            self._deps = deps
            self._parts = {}


RUNTIME = LambdaRuntime(deps_from_environment)


def get_deps() -> Deps:
    return RUNTIME.deps()


def use_deps(deps: Deps | None) -> None:
    """Hand every Lambda handler of this process `deps` (tests); None: back to the
    container built from the environment on the next invocation."""
    RUNTIME.use(deps)


@contextmanager
def serving(deps: Deps) -> Iterator[Deps]:
    """`use_deps(deps)` for the duration of a with block."""
    use_deps(deps)
    try:
        yield deps
    finally:
        use_deps(None)


def relay_after(deps: Deps) -> None:
    """On AWS nothing else runs between invocations: send the events this invocation
    committed (a failure here only delays them until the next relay)."""
    try:
        relay_outbox(deps)
    except Exception:
        logger.exception("outbox relay failed; events stay in the outbox")
