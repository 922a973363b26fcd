"""Lambda handlers share one lazily built Deps per process, replaceable through
use_deps/serving (no private global to patch), and a cold start never migrates."""

from __future__ import annotations

import sqlite3

from dagy.entrypoints import lambda_api, lambda_runtime
from dagy.entrypoints.lambda_runtime import LambdaRuntime
from dagy.entrypoints.wiring import build_deps


def test_the_runtime_builds_once_and_parts_follow_the_deps_in_use() -> None:
    built = []

    def build():
        built.append(build_deps())
        return built[-1]

    runtime = LambdaRuntime(build)
    assert built == []  # nothing at construction: a cold start pays on first use
    first = runtime.deps()
    assert runtime.deps() is first and len(built) == 1
    part = runtime.part("app", lambda deps: ("app", deps))
    assert runtime.part("app", lambda deps: ("other", deps)) is part and part[1] is first

    other = build_deps()
    runtime.use(other)
    assert runtime.deps() is other
    assert runtime.part("app", lambda deps: ("app", deps))[1] is other
    runtime.use(None)
    assert runtime.deps() is not other and len(built) == 2


def test_serving_hands_every_handler_the_given_deps_and_then_lets_go() -> None:
    deps = build_deps()
    with lambda_runtime.serving(deps):
        assert lambda_runtime.get_deps() is deps
        handler = lambda_api.asgi_handler()
        assert lambda_api.asgi_handler() is handler
    try:
        assert lambda_runtime.get_deps() is not deps  # built from DAGY_* again
    finally:
        lambda_runtime.use_deps(None)


def test_a_cold_start_builds_the_container_without_migrating(isolated_dagy_home) -> None:
    lambda_runtime.deps_from_environment()
    with sqlite3.connect(isolated_dagy_home / "dagy.db") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "alembic_version" not in tables and "runs" not in tables
