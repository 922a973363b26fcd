"""Strict JSON request bodies: one ASGI layer checks every body the API will read as JSON.

Python's json module (which FastAPI uses) accepts NaN and Infinity literals, turns
1e999999 into infinity, keeps lone surrogates ("\\ud800") and lets a repeated key win
silently; a body nested a thousand levels deep makes it raise RecursionError. Values like
these were stored and then failed to render, so a write answered 500 after committing and
every later read of the resource answered 500 too. This layer refuses such a body with a
422 in the error shape before any route runs; domain/json_values.py (parse_json) is the
rule.

A body is checked when its Content-Type is JSON (application/json, application/*+json:
the bodies FastAPI parses as JSON). Bodies of other types (a ZIP upload, a webhook sent
without a Content-Type, which its use case parses and checks itself) pass untouched. The
bytes are replayed unchanged to the route, so a webhook's signature still covers what
was sent.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dagy.domain.errors import ValidationError
from dagy.domain.json_values import parse_json
from dagy.entrypoints.api.errors import JSON_BODY_LIMIT, BodyTooLarge, error_response

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_INLINE_BYTES = 64 * 1024


def is_json_media_type(content_type: str) -> bool:
    media = content_type.partition(";")[0].strip().lower()
    main, _, sub = media.partition("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))


class StrictJsonMiddleware:
    """Buffers and checks JSON bodies (at most `limit` bytes: 413 past it), answers 422
    for a body that is not strict JSON, and replays the same bytes to the app."""

    def __init__(self, app: ASGIApp, limit: int = JSON_BODY_LIMIT) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in BODY_METHODS \
                or not _declares_json(scope):
            await self.app(scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay(message, receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                raise BodyTooLarge(self.limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body:
            try:
                if len(body) > _INLINE_BYTES:  # keep the event loop free for big bodies
                    await run_in_threadpool(parse_json, body)
                else:
                    parse_json(body)
            except ValidationError as exc:
                response = error_response(422, "invalid", str(exc),
                                          [{"loc": ["body"], "msg": str(exc)}])
                await response(scope, receive, send)
                return
        await self.app(scope, _replay({"type": "http.request", "body": body,
                                       "more_body": False}, receive), send)


def _replay(first: Message, receive: Receive) -> Receive:
    """A receive() that hands back the buffered message once, then the real channel
    (which answers the client's disconnect when it comes)."""
    pending = [first]

    async def replayed() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replayed



def _declares_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return is_json_media_type(value.decode("latin-1"))
    return False
