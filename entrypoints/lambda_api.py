"""AWS Lambda entry point for the REST API (API Gateway HTTP API -> Mangum -> FastAPI).

The container and app are built on the first invocation and reused while the process
lives (dagy.entrypoints.lambda_runtime); settings come from the environment (DAGY_*).
After a request that may have committed events (anything but GET), the outbox is
relayed before returning, since no background thread survives between invocations.
"""

from __future__ import annotations

from typing import Any

from dagy.application.deps import Deps
from dagy.entrypoints.lambda_runtime import RUNTIME, get_deps, relay_after


def _make_asgi_handler(deps: Deps) -> Any:
    from mangum import Mangum

    from dagy.entrypoints.api.app import create_app
    return Mangum(create_app(deps), lifespan="off")


def asgi_handler() -> Any:
    """The Mangum handler over this process's app, made on first use."""
    return RUNTIME.part("asgi", _make_asgi_handler)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    response = asgi_handler()(event, context)
    method = ((event or {}).get("requestContext") or {}).get("http", {}).get("method", "GET")
    if method != "GET":
        relay_after(get_deps())
    return response
