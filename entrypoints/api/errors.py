"""One JSON error shape for every failure: `{"error": {"code", "message", "details"}}`.

Domain errors map to HTTP statuses here and nowhere else. Unexpected exceptions become a
500 "internal" without the traceback (it goes to the log), and request bodies over the
limit are refused with 413 before the route reads them.
"""

from __future__ import annotations

import logging
import math
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dagy.domain.errors import ConflictError, NotFoundError
from dagy.domain.errors import (ConfigurationError, DagyError, ParameterError, SpecError,
                           UnavailableError, ValidationError)
from dagy.domain.events import BadEventError
from dagy.domain.permissions import ForbiddenError
from dagy.domain.rate_limit import RateLimitedError
from dagy.domain.schedules.sensors import PayloadTooLarge
from dagy.domain.tenancy import AuthenticationError

logger = logging.getLogger("dagy.api")

MiB = 1024 * 1024
JSON_BODY_LIMIT = 1 * MiB

# (exception class, HTTP status, error code): the first isinstance match wins.
DOMAIN_ERRORS: tuple[tuple[type[Exception], int, str], ...] = (
    (AuthenticationError, 401, "unauthenticated"),
    (ForbiddenError, 403, "forbidden"),
    (RateLimitedError, 429, "too_many_requests"),
    (NotFoundError, 404, "not_found"),
    (ConflictError, 409, "conflict"),
    (PayloadTooLarge, 413, "payload_too_large"),
    (ValidationError, 422, "invalid"),
    (SpecError, 422, "invalid"),
    (ParameterError, 422, "invalid"),
    (ConfigurationError, 422, "invalid"),
    (BadEventError, 422, "invalid"),
    (UnavailableError, 503, "unavailable"),
    (DagyError, 400, "bad_request"),
)

HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
              415: "unsupported_media_type", 422: "invalid", 429: "too_many_requests", 503: "unavailable"}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The error shape; message and details are made renderable (see json_safe)."""
    return {"error": {"code": code, "message": _text(str(message), 4000),
                      "details": json_safe(details)}}


def error_response(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def json_safe(value: Any, depth: int = 0) -> Any:
    """`value` as strict JSON for an error body: whatever a client sent (echoed in a 422's
    `input`) must not break the response. Non-finite numbers become strings ("NaN"),
    lone surrogates U+FFFD, unknown objects (exceptions, bytes) their str(); long strings
    are cut and deep nesting is summarised."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if value.bit_length() <= 64 else f"<integer of {value.bit_length()} bits>"
    if isinstance(value, float):
        return value if math.isfinite(value) else ("NaN" if math.isnan(value) else
                                                   "Infinity" if value > 0 else "-Infinity")
    if isinstance(value, str):
        return _text(value)
    if depth >= _DETAIL_DEPTH:
        return "..."
    if isinstance(value, dict):
        items = list(value.items())[:_DETAIL_ITEMS]
        return {_text(str(k), 200): json_safe(v, depth + 1) for k, v in items}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v, depth + 1) for v in list(value)[:_DETAIL_ITEMS]]
    return _text(str(value))


_DETAIL_DEPTH, _DETAIL_ITEMS, _DETAIL_CHARS = 8, 100, 1000
_SURROGATES = re.compile("[\ud800-\udfff]")


def _text(value: str, limit: int = _DETAIL_CHARS) -> str:
    value = _SURROGATES.sub("\ufffd", value)
    return value if len(value) <= limit else value[:limit] + "..."


def _dagy_error(request: Request, exc: Exception) -> JSONResponse:
    status, code = next((s, c) for cls, s, c in DOMAIN_ERRORS if isinstance(exc, cls))
    details = list(exc.problems) if isinstance(exc, ParameterError) else None
    headers = ({"WWW-Authenticate": "Bearer"} if status == 401 else
               exc.headers() if isinstance(exc, RateLimitedError) else None)
    return error_response(status, code, str(exc) or type(exc).__name__, details, headers)


def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    errors = [{k: v for k, v in err.items() if k != "url"} for err in exc.errors()]
    return error_response(422, "invalid", _summary(errors), json_safe(errors))


def _summary(errors: list[dict[str, Any]]) -> str:
    if not errors:
        return "invalid request"
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first.get('msg', 'invalid')}{more}" if where else f"{first.get('msg')}{more}"


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    too_large = _too_large_cause(exc)
    if too_large is not None:  # FastAPI wraps body-read failures in a 400
        return _too_large(too_large.limit)
    status = exc.status_code
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    code = HTTP_CODES.get(status, "bad_request" if status < 500 else "internal")
    return error_response(status, code, message, None, getattr(exc, "headers", None))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DagyError, _dagy_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(BodyTooLarge, lambda request, exc: _too_large(exc.limit))


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"request body is larger than {limit} bytes")
        self.limit = limit


class GuardMiddleware:
    """Outermost ASGI layer: body size limits (413) and a last-resort 500 "internal".

    `limits` maps exact paths to their own byte limit; every other path gets `default`.
    A declared Content-Length over the limit is refused before anything is read; a
    streamed body is counted as it arrives.
    """

    def __init__(self, app: ASGIApp, default: int = JSON_BODY_LIMIT,
                 limits: dict[str, int] | None = None) -> None:
        self.app, self.default, self.limits = app, default, dict(limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, root = scope.get("path", ""), scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):]
        limit = self.limits.get(path, self.default)
        declared = _content_length(scope)
        if declared is not None and (declared < 0 or declared > limit):
            response = (_too_large(limit) if declared > limit else
                        error_response(400, "bad_request", "invalid Content-Length header"))
            await response(scope, receive, send)
            return
        started = False
        seen = 0

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except Exception as exc:
            if _too_large_cause(exc) is not None:
                response = _too_large(limit)
            else:
                logger.exception("unhandled error in %s %s", scope.get("method"),
                                 scope.get("path"))
                response = error_response(500, "internal", "internal server error")
            if not started:
                await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1
    return None


def _too_large_cause(exc: BaseException | None) -> BodyTooLarge | None:
    """The BodyTooLarge behind `exc` (itself, a cause or context, or inside a group)."""
    for _ in range(20):
        if exc is None or isinstance(exc, BodyTooLarge):
            return exc
        if isinstance(exc, BaseExceptionGroup):
            found = [c for c in map(_too_large_cause, exc.exceptions) if c is not None]
            return found[0] if found else None
        exc = exc.__cause__ or exc.__context__
    return None


def _too_large(limit: int) -> JSONResponse:
    return error_response(413, "payload_too_large",
                          f"request body is larger than {limit} bytes", {"limit_bytes": limit})
