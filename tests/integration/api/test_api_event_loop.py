"""Async routes never block the event loop: a slow key lookup runs in a thread.

Both requests go through one event loop (httpx's ASGI transport, no threads of its own).
The slow lookup waits until /health has been answered: had it run on the loop, /health
could not be answered while it waits, so the lookup's wait would run out instead. No
timing thresholds: the outcome is an ordering, bounded by WAIT_LIMIT.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time

import httpx

from dagy.application.use_cases.accounts import bootstrap
from dagy.entrypoints.api import create_app

WAIT_LIMIT = 10.0  # seconds the slow lookup waits for /health at most


class SlowKeys:
    """An api_keys repository whose lookup waits until it is released (a slow datastore)."""

    def __init__(self, inner, gate: "Gate") -> None:
        self._inner, self._gate = inner, gate

    def get_by_prefix(self, prefix: str):
        self._gate.lookups += 1
        self._gate.started.set()
        self._gate.released_in_time = self._gate.released.wait(WAIT_LIMIT)
        return self._inner.get_by_prefix(prefix)

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


class Gate:
    def __init__(self) -> None:
        self.started, self.released = threading.Event(), threading.Event()
        self.released_in_time: bool | None = None
        self.lookups = 0


class SlowUnitOfWork:
    """A unit of work whose api_keys are SlowKeys; everything else is the real one."""

    def __init__(self, inner, gate: Gate) -> None:
        self._inner, self._gate = inner, gate

    def __enter__(self):
        self._opened = self._inner.__enter__()
        self.api_keys = SlowKeys(self._opened.api_keys, self._gate)
        return self

    def __exit__(self, *exc):
        return self._inner.__exit__(*exc)

    def __getattr__(self, name: str):
        return getattr(self._opened, name)


async def _health_while_looking_up(app, key: str, gate: Gate) -> tuple[int, int]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dagy") as client:
        lookup = asyncio.create_task(client.get(
            "/runs", headers={"Authorization": f"Bearer {key}"}))
        deadline = time.monotonic() + WAIT_LIMIT
        while not gate.started.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)  # until the lookup is under way
        health = await client.get("/health")
        gate.released.set()
        runs = await lookup
    return health.status_code, runs.status_code


def test_a_slow_key_lookup_does_not_stall_health(deps):
    _, key = bootstrap(deps, "acme")
    gate = Gate()
    app = create_app(dataclasses.replace(deps, uow=lambda: SlowUnitOfWork(deps.uow(), gate)))
    assert asyncio.run(_health_while_looking_up(app, key, gate)) == (200, 200)
    assert gate.started.is_set()
    assert gate.released_in_time is True, "the lookup blocked the loop: /health waited for it"
    # nothing is cached (a revoked key must be refused at once): the next request reads
    # the key again, off the loop as well
    async def again() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://dagy") as client:
            return (await client.get("/runs", headers={"Authorization": f"Bearer {key}"})).status_code
    assert asyncio.run(again()) == 200
    assert gate.lookups == 2
