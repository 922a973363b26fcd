"""CORS for browsers on other origins (DAGY_API_CORS_ALLOWED_ORIGINS), via Starlette.

- Empty (the default): the middleware is not installed; no answer carries a CORS
  header, so a browser on another origin cannot read any answer.
- A comma-separated list of exact origins (`https://app.example.com,
  http://localhost:3000`): scheme, host and optional port, nothing else (no path, no
  trailing slash, no wildcard inside). Only those get `Access-Control-Allow-Origin`.
- `*` alone: any origin. Credentials mode is never enabled (no
  `Access-Control-Allow-Credentials`), with `*` or without: the API authenticates with
  the `Authorization` header a page sets itself, never with cookies, so a page on
  another origin only gets what its own token may read.

Preflights allow the API's methods and the headers it reads (Authorization,
Content-Type, X-Dagy-Org, Idempotency-Key, X-Request-Id) and are cached 10 minutes;
answers expose Retry-After, the RateLimit-* headers and X-Request-Id. A preflight that
is refused (origin, method or header not allowed) is a 400 with the API's error shape.
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response

from dagy.domain.errors import ConfigurationError
from dagy.entrypoints.api.errors import error_body

ALLOW_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ALLOW_HEADERS = ("Authorization", "Content-Type", "X-Dagy-Org", "Idempotency-Key",
                 "X-Request-Id")
EXPOSE_HEADERS = ("Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
                  "X-Request-Id")
MAX_AGE = 600
_ORIGIN = re.compile(r"https?://(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?")


def parse_origins(text: str | None) -> tuple[str, ...]:
    """The allowed origins of DAGY_API_CORS_ALLOWED_ORIGINS; ConfigurationError, naming
    the entry, for anything that is not an exact origin (or for `*` with others)."""
    origins = tuple(part.strip() for part in (text or "").split(",") if part.strip())
    if "*" in origins:
        if len(origins) > 1:
            raise ConfigurationError("DAGY_API_CORS_ALLOWED_ORIGINS: '*' allows every origin "
                                     "and cannot be combined with others")
        return origins
    for origin in origins:
        if not _ORIGIN.fullmatch(origin):
            raise ConfigurationError(
                f"DAGY_API_CORS_ALLOWED_ORIGINS: {origin!r} is not an origin (scheme://host"
                "[:port], e.g. https://app.example.com, without a path or trailing slash)")
    return tuple(dict.fromkeys(origin.lower() for origin in origins))


class DagyCorsMiddleware(CORSMiddleware):
    """Starlette's CORS with the API's settings; a refused preflight in the error shape."""

    def __init__(self, app, origins: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
        super().__init__(app, allow_origins=list(origins), allow_methods=list(ALLOW_METHODS),
                         allow_headers=list(ALLOW_HEADERS), expose_headers=list(EXPOSE_HEADERS),
                         allow_credentials=False, max_age=MAX_AGE)

    def preflight_response(self, request_headers: Headers) -> Response:
        answer = super().preflight_response(request_headers)
        if answer.status_code != 400:
            return answer
        headers = {k: v for k, v in answer.headers.items()
                   if k.lower() not in ("content-length", "content-type")}
        return JSONResponse(error_body("bad_request", answer.body.decode()),
                            status_code=400, headers=headers)
