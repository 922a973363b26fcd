"""RateLimit-* headers on every answer to a rate-limited caller (the 429 has them too,
with Retry-After, from the error handler)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dagy.domain.rate_limit import rate_limit_headers


class RateLimitHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                admitted = scope.get("state", {}).get("rate_limit")
                if admitted is not None:
                    headers = MutableHeaders(scope=message)
                    for name, value in rate_limit_headers(*admitted).items():
                        headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
