"""Async routes never block the event loop: a slow key lookup runs in a thread.

Both requests go through one event loop (httpx's ASGI transport, no threads of its own):
had the unknown key's database read run on the loop, /health would wait for it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time

import httpx

from dagy.application.use_cases.accounts import bootstrap
from dagy.entrypoints.api import create_app

LOOKUP_SECONDS = 1.0


class SlowKeys:
    """An api_keys repository whose lookup takes LOOKUP_SECONDS (a slow datastore)."""

    def __init__(self, inner) -> None:
        self._inner = inner

    def get_by_prefix(self, prefix: str):
        time.sleep(LOOKUP_SECONDS)
        return self._inner.get_by_prefix(prefix)

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


class SlowUnitOfWork:
    """A unit of work whose api_keys are SlowKeys; everything else is the real one."""

    def __init__(self, inner) -> None:
        self._inner = inner

    def __enter__(self):
        self._opened = self._inner.__enter__()
        self.api_keys = SlowKeys(self._opened.api_keys)
        return self

    def __exit__(self, *exc):
        return self._inner.__exit__(*exc)

    def __getattr__(self, name: str):
        return getattr(self._opened, name)


def _slow_uow(make_uow):
    return lambda: SlowUnitOfWork(make_uow())


async def _race(app, key: str) -> tuple[float, float, int, int]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dagy") as client:
        started = time.monotonic()

        async def timed(coro):
            response = await coro
            return response, time.monotonic() - started

        lookup = asyncio.create_task(timed(client.get(
            "/runs", headers={"Authorization": f"Bearer {key}"})))
        await asyncio.sleep(0.05)  # the lookup is under way
        health, health_took = await timed(client.get("/health"))
        runs, runs_took = await lookup
    return health_took, runs_took, health.status_code, runs.status_code


def test_a_slow_key_lookup_does_not_stall_health(deps):
    _, key = bootstrap(deps, "acme")
    slow = dataclasses.replace(deps, uow=_slow_uow(deps.uow))
    app = create_app(slow)
    health_took, runs_took, health_status, runs_status = asyncio.run(_race(app, key))
    assert (health_status, runs_status) == (200, 200)
    assert runs_took >= LOOKUP_SECONDS
    assert health_took < LOOKUP_SECONDS / 2, f"/health waited {health_took:.2f}s"
    # the key is cached now: the next request is answered on the loop, without the store
    again = asyncio.run(_race(app, key))
    assert again[1] < LOOKUP_SECONDS / 2
