"""One debug line per HTTP request: method, path, status and duration in milliseconds.

`create_app` installs `RequestLogMiddleware` only when `dagy.api.requests` logs at DEBUG
when the app is built (`dagy server --log-level debug`), so at the default level a request
does not even pass through it: the hot path (POST /runs) pays nothing.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Awaitable, Callable

logger = logging.getLogger("dagy.api.requests")

Message = dict[str, Any]
Send = Callable[[Message], Awaitable[None]]


def request_logging_enabled() -> bool:
    """Whether the app being built should log its requests (decided once, at build time)."""
    return logger.isEnabledFor(logging.DEBUG)


class RequestLogMiddleware:
    """Pure ASGI, outermost of the app's own middleware, so it also sees the 413s and
    500s they answer. A request whose handler raised before answering is logged with
    status `-` (Starlette's error middleware, outside it, then sends the 500)."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Message, receive: Any, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: list[int] = []

        async def send_noting_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            logger.debug("%s %s %s %.1f ms", scope["method"], scope["path"],
                         status[0] if status else "-", (time.perf_counter() - started) * 1000)
