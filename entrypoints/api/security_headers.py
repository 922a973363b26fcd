"""Security headers on every answer of the API, errors and /docs included.

Pure ASGI, outside every other middleware of the app (CORS preflights, 413s, the
last-resort 500 pass through it). The headers are encoded once; per answer they are
appended to the header list, except those the answer already set (the /docs pages
bring their own Content-Security-Policy: dagy.entrypoints.api.docs_ui).

- X-Content-Type-Options: nosniff; X-Frame-Options: DENY; Referrer-Policy: no-referrer.
- Content-Security-Policy `default-src 'none'; frame-ancestors 'none'`: a JSON answer
  loads nothing and is framed by nothing.
- Cache-Control: no-store, except on /docs/assets (Swagger UI's static files, the same
  for everyone, cached with their ETag).
- Strict-Transport-Security only when the request came over https: the socket's scheme,
  or `X-Forwarded-Proto: https` from the proxy in front (API Gateway). A client forging
  that header over http only gets a header browsers ignore on http.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_CSP = "default-src 'none'; frame-ancestors 'none'"
HSTS = "max-age=31536000"
STATIC_PREFIX = "/docs/assets/"

_ALWAYS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
           (b"referrer-policy", b"no-referrer"),
           (b"content-security-policy", API_CSP.encode())]
_NO_STORE = (b"cache-control", b"no-store")
_HSTS = (b"strict-transport-security", HSTS.encode())
_FORWARDED_PROTO = b"x-forwarded-proto"


def came_over_https(scope: Scope) -> bool:
    if scope.get("scheme") == "https":
        return True
    for name, value in scope["headers"]:
        if name == _FORWARDED_PROTO:
            return value.split(b",")[0].strip().lower() == b"https"
    return False


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(_ALWAYS)
        if not scope["path"].startswith(STATIC_PREFIX):
            extra.append(_NO_STORE)
        if came_over_https(scope):
            extra.append(_HSTS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(item for item in extra if item[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
