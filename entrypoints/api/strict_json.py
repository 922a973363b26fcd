"""Strict JSON request bodies: one ASGI layer checks every body the API will read as JSON.

Python's json module (which FastAPI uses) accepts NaN and Infinity literals, turns
1e999999 into infinity, keeps lone surrogates ("\\ud800") and lets a repeated key win
silently; a body nested a thousand levels deep makes it raise RecursionError. Values like
these were stored and then failed to render, so a write answered 500 after committing and
every later read of the resource answered 500 too. This layer refuses such a body with a
422 in the error shape before any route runs; domain/json_values.py is the rule.

A body is checked when its Content-Type is JSON (application/json, application/*+json),
or when it has no Content-Type and the route reads a JSON body (FastAPI parses those as
JSON too). Bodies of other types (a ZIP upload) pass untouched. The bytes are replayed
unchanged to the route, so a webhook's signature still covers what was sent.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.json_values import MAX_DEPTH, storable_problem
from entrypoints.api.errors import JSON_BODY_LIMIT, BodyTooLarge, error_response

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class BadJson(ValueError):
    """The body is not strict JSON; the message says what is wrong and where."""


def parse_strict(data: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON value in `data` (UTF-8), or BadJson. Strict: finite numbers only, unique
    keys, no lone surrogates, at most `max_depth` levels of nesting."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadJson(f"body is not UTF-8 text (invalid byte at offset {exc.start})") from None
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_float,
                           object_pairs_hook=_unique_keys)
    except RecursionError:
        raise BadJson(f"body nests deeper than {max_depth} levels") from None
    except BadJson:
        raise
    except ValueError as exc:  # JSONDecodeError, or an integer past the digit limit
        raise BadJson(f"body is not valid JSON: {exc}") from None
    found = storable_problem(value, max_depth)
    if found is not None:
        problem, path = found
        if problem.startswith("nesting deeper"):
            raise BadJson(f"body nests deeper than {max_depth} levels at {path}")
        raise BadJson(f"body has {problem} at {path}")
    return value


def _constant(name: str) -> Any:
    raise BadJson(f"body has {name}, which is not JSON (numbers must be finite)")


def _float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise BadJson(f"body has the number {text[:40]}, which is too large to store "
                      "(numbers must be finite)")
    return number


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise BadJson(f"body repeats the key {ascii(key)[:60]} in one object")
            seen.add(key)
    return result


def is_json_media_type(content_type: str) -> bool:
    media = content_type.partition(";")[0].strip().lower()
    main, _, sub = media.partition("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))


class StrictJsonMiddleware:
    """Buffers and checks JSON bodies (at most `limit` bytes: 413 past it), answers 422
    for a body that is not strict JSON, and replays the same bytes to the app.

    `reads_json(scope)` says whether the route for a request without a Content-Type
    reads a JSON body; `routes_reading_json(app)` builds it from the FastAPI routes.
    """

    def __init__(self, app: ASGIApp, reads_json: Callable[[Scope], bool] | None = None,
                 limit: int = JSON_BODY_LIMIT) -> None:
        self.app, self.reads_json, self.limit = app, reads_json, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in BODY_METHODS \
                or not self._checks(scope):
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
                parse_strict(body)
            except BadJson as exc:
                response = error_response(422, "invalid", str(exc),
                                          [{"loc": ["body"], "msg": str(exc)}])
                await response(scope, receive, send)
                return
        await self.app(scope, _replay({"type": "http.request", "body": body,
                                       "more_body": False}, receive), send)

    def _checks(self, scope: Scope) -> bool:
        content_type = None
        for name, value in scope.get("headers", ()):
            if name == b"content-type":
                content_type = value.decode("latin-1")
                break
        if content_type is not None:
            return is_json_media_type(content_type)
        return self.reads_json is not None and self.reads_json(scope)


def _replay(first: Message, receive: Receive) -> Receive:
    """A receive() that hands back the buffered message once, then the real channel
    (which answers the client's disconnect when it comes)."""
    pending = [first]

    async def replayed() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replayed


def routes_reading_json(routes: list[Any]) -> Callable[[Scope], bool]:
    """Whether the route matching a request declares a JSON body (FastAPI's body_field)."""
    def reads_json(scope: Scope) -> bool:
        for route in routes:
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return getattr(route, "body_field", None) is not None
        return False
    return reads_json
