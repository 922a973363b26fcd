"""AWS Lambda entry point for the REST API (API Gateway HTTP API -> Mangum -> FastAPI).

The container and app are built on the first invocation and reused while the process
lives (dagy.entrypoints.lambda_runtime); settings come from the environment (DAGY_*).
After a request that may have committed events (anything but GET), the outbox is
relayed before returning, since no background thread survives between invocations.
For the same reason the access log's writer has no thread here: its buffer (the
invocation's entry) is written after each invocation, and retention runs at the first
flush of each process and then once an hour.
"""

from __future__ import annotations

from typing import Any

from dagy.application.deps import Deps
from dagy.entrypoints.lambda_runtime import RUNTIME, get_deps, relay_after


def _make_asgi_handler(deps: Deps) -> Any:
    from mangum import Mangum

    from dagy.entrypoints.api.app import create_app
    from dagy.entrypoints.api.cors import parse_origins
    from dagy.entrypoints.container import access_log_writer
    from dagy.entrypoints.settings import DagySettings

    settings = DagySettings()
    app = create_app(deps, access_log=access_log_writer(deps, settings, autostart=False),
                     cors_origins=parse_origins(settings.api_cors_allowed_origins))
    handler = Mangum(app, lifespan="off")
    handler.access_log = app.state.access_log
    return handler


def asgi_handler() -> Any:
    """The Mangum handler over this process's app, made on first use."""
    return RUNTIME.part("asgi", _make_asgi_handler)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    asgi = asgi_handler()
    try:
        response = asgi(event, context)
    finally:
        if asgi.access_log is not None:
            asgi.access_log.flush()  # never raises; the entry is written before we freeze
    method = ((event or {}).get("requestContext") or {}).get("http", {}).get("method", "GET")
    if method != "GET":
        relay_after(get_deps())
    return response
