"""Which methods a path supports: `OPTIONS` answers 204 with `Allow`, and every 405
lists them all (the router alone names only the methods of the first route it matched)."""

from __future__ import annotations

from typing import Any

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_CANDIDATES = ("DELETE", "GET", "PATCH", "POST", "PUT")


class MethodsMiddleware:
    """`routed` is the application whose routes are consulted (read at request time, so
    routers included after this middleware was added count too)."""

    def __init__(self, app: ASGIApp, routed: Any) -> None:
        self.app, self.routed = app, routed

    def allowed(self, scope: Scope) -> str | None:
        """The methods some route answers at this scope's path (asked of the routes
        themselves, so included routers and their prefixes count)."""
        methods = {method for method in _CANDIDATES
                   if any(route.matches({**scope, "method": method})[0] is Match.FULL
                          for route in self.routed.routes)}
        if not methods:
            return None
        return ", ".join(sorted(methods | {"OPTIONS"}))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            allow = self.allowed(scope)
            if allow is not None:
                await send({"type": "http.response.start", "status": 204,
                            "headers": [(b"allow", allow.encode())]})
                await send({"type": "http.response.body", "body": b""})
                return

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                allow = self.allowed(scope) or ""
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                message = {**message, "headers": [*headers, (b"allow", allow.encode())]}
            await send(message)

        await self.app(scope, receive, send_with_allow)
