"""Access log of every HTTP request: `AccessLogMiddleware` records, the writer writes.

Pure ASGI (not BaseHTTPMiddleware: no task, no body copy), outermost of the app's
middleware, so that it sees every answer: 401s, 404s no route matched, 413s, CORS
preflights and the last-resort 500s. Per request it reads the clock twice, scans the
headers once for the user agent, and appends one tuple to the writer's buffer
(dagy.application.access_log_writer): no I/O, nothing awaited.

What is recorded: the route template FastAPI matched (`/runs/{run_id}`, so ids stay out
of that column; `-` when none matched), the path, the status (500 when the app raised
before answering), the latency until the answer's last byte, the caller as the auth
dependency found it (`note_caller`: key id or token id, `user:<id>` for a person's
credential without an id, and the org; "anonymous" and no org otherwise, e.g. a 401), the client address the server saw (the socket's peer; behind
API Gateway, Mangum's source IP; X-Forwarded-For is not trusted), the user agent and
the request id (the request-id middleware's, when installed).
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dagy.application.access_log_writer import AccessLogWriter
from dagy.application.principal import Principal
from dagy.domain.access_log import ANONYMOUS, MAX_USER_AGENT, NO_ROUTE

_USER_AGENT = b"user-agent"


def note_caller(scope: Scope, principal: Principal) -> None:
    """Called by the auth dependency once it knows who calls: the access log's caller."""
    state = scope.setdefault("state", {})
    state["credential_id"] = (principal.key_id or principal.credential_id
                              or (f"user:{principal.user_id}" if principal.user_id else ANONYMOUS))
    state["org_id"] = principal.org_id


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp, writer: AccessLogWriter) -> None:
        self.app, self.writer = app, writer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # the app raised before it answered

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            self.writer.record(_record(scope, status, started))


def _record(scope: Scope, status: int, started: float) -> tuple:
    latency_ms = (time.perf_counter() - started) * 1000.0
    state: dict[str, Any] = scope.get("state") or {}
    route = scope.get("route")
    client = scope.get("client")
    agent = ""
    for name, value in scope["headers"]:
        if name == _USER_AGENT:
            agent = value[:MAX_USER_AGENT].decode("latin-1")
            break
    return (time.time(), scope["method"], getattr(route, "path", NO_ROUTE), scope["path"],
            status, latency_ms, state.get("credential_id", ANONYMOUS), state.get("org_id"),
            client[0] if client else "-", agent, state.get("request_id") or "-")
