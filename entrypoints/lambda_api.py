"""AWS Lambda entry point for the REST API (API Gateway HTTP API -> Mangum -> FastAPI).

The container and app are built on the first invocation and reused while the process
lives; settings come from the environment (DAGY_*). After a request that may have
committed events (anything but GET), the outbox is relayed before returning, since no
background thread survives between Lambda invocations.
"""

from __future__ import annotations

from typing import Any

from dagy.entrypoints.lambda_runtime import get_deps

_asgi_handler: Any = None



def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global _asgi_handler
    if _asgi_handler is None:
        from mangum import Mangum

        from dagy.entrypoints.api.app import create_app
        _asgi_handler = Mangum(create_app(get_deps()), lifespan="off")
    response = _asgi_handler(event, context)
    method = ((event or {}).get("requestContext") or {}).get("http", {}).get("method", "GET")
    if method != "GET":
        from dagy.entrypoints.lambda_consumer import relay_after
        relay_after(get_deps())
    return response
