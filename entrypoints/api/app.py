"""`create_app(deps)`: the FastAPI application over the use cases. No global state."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from dagy.application.deps import Deps
from dagy.application.use_cases.admission import RunAdmission
from dagy.application.use_cases.flows import MAX_ARTIFACT_BYTES
from dagy.entrypoints.api import routes_auth
from dagy.entrypoints.api import (routes_api_keys, routes_deployments, routes_flows, routes_runs,
                                  routes_schedule_slots, routes_schedules, routes_sensors)
from dagy.entrypoints.api import routes_environments
from dagy.entrypoints.api import routes_secrets
from dagy.entrypoints.api import routes_invitations, routes_orgs
from dagy.application.access_log_writer import AccessLogWriter
from dagy.entrypoints.api import routes_access_logs
from dagy.entrypoints.api.access_log import AccessLogMiddleware
from dagy.entrypoints.api.cors import DagyCorsMiddleware
from dagy.entrypoints.api import routes_audit_logs
from dagy.entrypoints.api.docs_ui import install_docs_ui
from dagy.entrypoints.api.security_headers import SecurityHeadersMiddleware
from dagy.entrypoints.api.errors import JSON_BODY_LIMIT, GuardMiddleware, install_error_handlers
from dagy.entrypoints.api.methods import MethodsMiddleware
from dagy.entrypoints.api.openapi import install_openapi
from dagy.entrypoints.api.rate_limit_headers import RateLimitHeadersMiddleware
from dagy.entrypoints.api.request_log import RequestLogMiddleware, request_logging_enabled
from dagy.entrypoints.api.request_origin import RequestIdMiddleware
from dagy.entrypoints.api.schemas_common import Health, errors
from dagy.entrypoints.api.strict_json import StrictJsonMiddleware
from dagy.entrypoints.api.ui_static import install_ui


def create_app(deps: Deps, admission: RunAdmission | None = None, *,
               access_log: AccessLogWriter | None = None,
               cors_origins: tuple[str, ...] = (), ui_dir: Path | None = None) -> FastAPI:
    """One app per Deps: the same use cases behind uvicorn locally and Mangum on Lambda.

    `admission`: the process's run admission writer, owned (and stopped) by the
    Container; without one the app makes its own, which lives as long as the app.
    `access_log`: the process's access-log writer, likewise (the app's own keeps 30
    days). `cors_origins`: entrypoints/api/cors.parse_origins of the settings; empty:
    no CORS. `ui_dir`: a built web UI (ui/out) to serve at /ui/, `/` redirecting
    there (entrypoints/api/ui_static); None: no UI."""
    app = FastAPI(title="Dagy control plane", summary="DAG orchestration REST API",
                  docs_url=None, redoc_url=None)  # /docs from local assets: docs_ui
    app.state.deps = deps
    app.state.admission = admission or RunAdmission(deps)
    app.state.access_log = access_log or (
        AccessLogWriter(deps.access_log) if deps.access_log is not None else None)
    install_error_handlers(app)
    install_openapi(app)
    install_docs_ui(app)
    # inner to outer: OPTIONS and Allow, strict JSON bodies (422), then size limits (413)
    # and the last-resort 500
    app.add_middleware(RateLimitHeadersMiddleware)
    app.add_middleware(MethodsMiddleware, routed=app)
    app.add_middleware(StrictJsonMiddleware)
    app.add_middleware(GuardMiddleware, default=JSON_BODY_LIMIT,
                       limits={"/artifacts": MAX_ARTIFACT_BYTES})
    if cors_origins:  # its preflight answers and 400s get an id and the headers below
        app.add_middleware(DagyCorsMiddleware, origins=tuple(cors_origins))
    app.add_middleware(RequestIdMiddleware)  # X-Request-Id on every answer, 413/500 too
    app.add_middleware(SecurityHeadersMiddleware)  # nosniff, CSP, no-store... on all
    if request_logging_enabled():  # outermost: it times and sees every answer above
        app.add_middleware(RequestLogMiddleware)
    if app.state.access_log is not None:  # outermost: it sees every answer, 500s too
        app.add_middleware(AccessLogMiddleware, writer=app.state.access_log)

    @app.get("/health", tags=["health"], response_model=Health,
             responses=errors(authenticated=False))

    async def health() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(routes_flows.router)
    app.include_router(routes_deployments.router)
    app.include_router(routes_environments.router)
    app.include_router(routes_secrets.router)
    app.include_router(routes_schedules.router)
    app.include_router(routes_schedule_slots.router)
    app.include_router(routes_runs.router)
    app.include_router(routes_sensors.router)
    app.include_router(routes_api_keys.router)
    app.include_router(routes_audit_logs.router)
    app.include_router(routes_orgs.router)
    app.include_router(routes_invitations.router)
    app.include_router(routes_access_logs.router)
    app.include_router(routes_auth.router)
    if ui_dir is not None:
        install_ui(app, ui_dir)
    return app
