"""The datastores the organization API tests run on: memory, the embedded SQLite default
and PostgreSQL (a schema of its own; skipped without DAGY_TEST_POSTGRES_URL)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest

from dagy.application.deps import Deps
from dagy.entrypoints.container import build_container
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.wiring import build_deps
from fresh_databases import fresh_postgres_schema, postgres_url, search_path_url

BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def deps_on(backend: str, tmp_path: Path, stack: ExitStack, clock=None) -> Deps:
    """Deps over `backend`; everything it opened closes with `stack`."""
    if backend == "memory":
        return build_deps(**({"clock": clock} if clock else {}))
    settings = DagySettings(home=tmp_path / "home")
    if backend == "postgres":
        from dagy.adapters.crypto.aes_gcm import generate_key_text
        base = postgres_url()
        url = search_path_url(base, stack.enter_context(fresh_postgres_schema(base)))
        settings = DagySettings(home=tmp_path / "home", database_url=url,
                                secret_key=generate_key_text(),
                                api_key_pepper="org-tests-pepper-0123456789abcdef0123")
    container = build_container(settings)
    stack.callback(container.close)
    if clock is not None:
        container.deps.clock = clock
    return container.deps
