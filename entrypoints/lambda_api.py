"""AWS Lambda entry point for the REST API (API Gateway HTTP API -> Mangum -> FastAPI).

The container and app are built on the first invocation and reused while the process
lives; settings come from the environment (DAGY_*).
"""

from __future__ import annotations

from typing import Any

from application.deps import Deps

_deps: Deps | None = None
_asgi_handler: Any = None


def get_deps() -> Deps:
    global _deps
    if _deps is None:
        from entrypoints.container import build_container
        _deps = build_container().deps
    return _deps


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global _asgi_handler
    if _asgi_handler is None:
        from mangum import Mangum

        from entrypoints.api.app import create_app
        _asgi_handler = Mangum(create_app(get_deps()), lifespan="off")
    return _asgi_handler(event, context)
