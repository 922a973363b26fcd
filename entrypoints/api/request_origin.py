"""Where a request came from, for the audit log: the client's IP and a request id.

`RequestIdMiddleware` gives every HTTP request an id before anything else sees it: the
caller's `X-Request-Id` when it is a sane short token (letters, digits, `-_.:`, at most
64 characters), else a fresh random one. The id is kept in the request's state (so the
audit log, and any other recorder, name the same id) and sent back as `X-Request-Id`
on every answer, errors included, so a caller can quote it. Pure ASGI and one header
lookup: the hot path (POST /runs) pays microseconds.
"""

from __future__ import annotations

import re
import secrets

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
_SANE = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_HEADER_BYTES = HEADER.encode()


def request_id_from(value: str | bytes | None) -> str:
    """The caller's id when it is a sane short token, else a new random one."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if value is not None and _SANE.fullmatch(value):
        return value
    return secrets.token_hex(16)


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((value for name, value in scope["headers"] if name == _HEADER_BYTES), None)
        request_id = request_id_from(given)
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)


def request_origin(request: Request) -> tuple[str | None, str]:
    """(client IP, request id) of a request; an app built without the middleware (a
    test's bare router) still gets an id."""
    state = request.scope.get("state") or {}
    request_id = state.get("request_id") or request_id_from(request.headers.get(HEADER))
    client = request.client
    return (client.host if client else None), request_id
