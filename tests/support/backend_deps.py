"""Deps on any datastore the security suites run on: memory, a SQLite file, or a fresh
PostgreSQL schema with every key a shared database requires (server key, API-key pepper,
tenants' secret keys); plus the same keys as a real server's environment.

The suites that walk every operation (RBAC, identity tokens) and the e2e tests that start
a `dagy server` on PostgreSQL take their database from here, so each backend is wired
exactly as a deployment would be.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from dagy.application.deps import Deps
from dagy.entrypoints.container import build_container
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.wiring import build_deps
from fresh_databases import fresh_postgres_schema, postgres_url, search_path_url

ALL_BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
PEPPER = "security-suites-pepper-0123456789abcdef0123"


def shared_database_keys() -> dict[str, str]:
    """Fresh values of the keys PostgreSQL requires, by setting name."""
    from dagy.adapters.crypto.aes_gcm import generate_key_text
    from dagy.adapters.crypto.fernet_keyring import generate_fernet_key
    return {"secret_key": generate_key_text(), "secret_keys": generate_fernet_key(),
            "api_key_pepper": PEPPER}


def deps_on(backend: str, home: Path, stack: ExitStack, **settings: Any) -> Deps:
    """Deps over `backend` ("memory", "sqlite", "postgres": a schema of its own), with
    `settings` on top; the container and the schema close with `stack`."""
    if backend == "memory":
        return build_deps(DagySettings(**settings))
    if backend == "postgres":
        base = postgres_url()
        url = search_path_url(base, stack.enter_context(fresh_postgres_schema(base)))
        settings = {**shared_database_keys(), "database_url": url, **settings}
    container = build_container(DagySettings(home=home, **settings))
    stack.callback(container.close)
    return container.deps


def postgres_server_env(stack: ExitStack) -> tuple[dict[str, str], str]:
    """The environment of a `dagy server` on a fresh PostgreSQL schema (dropped with
    `stack`), and the schema's name."""
    base = postgres_url()
    schema = stack.enter_context(fresh_postgres_schema(base))
    keys = shared_database_keys()
    return {"DAGY_DATABASE_URL": search_path_url(base, schema),
            "DAGY_SECRET_KEY": keys["secret_key"], "DAGY_SECRET_KEYS": keys["secret_keys"],
            "DAGY_API_KEY_PEPPER": keys["api_key_pepper"]}, schema
