"""The OpenAPI document, finished: our error shape for 422, bearer auth, and links.

FastAPI builds the document from the routes' models. Three things it cannot know are
added here: requests that fail validation answer our ErrorBody (not FastAPI's
HTTPValidationError); which operations need an API key; and links from the operations
that create a resource to the ones that use it (clients and schemathesis's stateful
phase follow them to reuse created flows, deployments, runs, schedules and sensors).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from dagy.entrypoints.api.permissions import annotate, check_table, permission_for
from fastapi.openapi.utils import get_openapi

_ERROR_REF = "#/components/schemas/ErrorBody"
_FASTAPI_ERRORS = ("HTTPValidationError", "ValidationError")

_DEPLOYMENT = {"deployment_name": "$response.body#/deployment_name"}
_RUN = {"run_id": "$response.body#/run_id"}
_SCHEDULE = {"schedule_id": "$response.body#/schedule_id"}
_SENSOR = {"sensor_id": "$response.body#/sensor_id"}
_FLOW = {"flow_name": "$response.body#/flow_name"}

# (path, method, statuses) -> {link name: (target path, target method, parameters, body)}
_DEPLOYMENT_USES = {
    "GetDeployment": ("/deployments/{deployment_name}", "get", _DEPLOYMENT, None),
    "PatchDeployment": ("/deployments/{deployment_name}", "patch", _DEPLOYMENT, None),
    "PauseDeployment": ("/deployments/{deployment_name}/pause", "post", _DEPLOYMENT, None),
    "ResumeDeployment": ("/deployments/{deployment_name}/resume", "post", _DEPLOYMENT, None),
    "DeleteDeployment": ("/deployments/{deployment_name}", "delete", _DEPLOYMENT, None),
    "TriggerRun": ("/runs", "post", {}, {"deployment_name": "$response.body#/deployment_name"}),
    "CreateSchedule": ("/schedules", "post", {}, {
        "deployment_name": "$response.body#/deployment_name"}),
    "CreateSensor": ("/sensors", "post", {}, {
        "deployment_name": "$response.body#/deployment_name"}),
}
_RUN_USES = {
    "GetRun": ("/runs/{run_id}", "get", _RUN, None),
    "ListTaskRuns": ("/runs/{run_id}/task-runs", "get", _RUN, None),
    "ReadLogs": ("/runs/{run_id}/logs", "get", _RUN, None),
    "CancelRun": ("/runs/{run_id}/cancel", "post", _RUN, None),
    "RetryRun": ("/runs/{run_id}/retry", "post", _RUN, None),
}
_SCHEDULE_USES = {
    "GetSchedule": ("/schedules/{schedule_id}", "get", _SCHEDULE, None),
    "PatchSchedule": ("/schedules/{schedule_id}", "patch", _SCHEDULE, None),
    "PreviewSchedule": ("/schedules/{schedule_id}/preview", "get", _SCHEDULE, None),
    "EnableSchedule": ("/schedules/{schedule_id}/enable", "post", _SCHEDULE, None),
    "DisableSchedule": ("/schedules/{schedule_id}/disable", "post", _SCHEDULE, None),
    "DeleteSchedule": ("/schedules/{schedule_id}", "delete", _SCHEDULE, None),
}
_SENSOR_USES = {
    "GetSensor": ("/sensors/{sensor_id}", "get", _SENSOR, None),
    "PatchSensor": ("/sensors/{sensor_id}", "patch", _SENSOR, None),
    "EnableSensor": ("/sensors/{sensor_id}/enable", "post", _SENSOR, None),
    "DisableSensor": ("/sensors/{sensor_id}/disable", "post", _SENSOR, None),
    "RotateToken": ("/sensors/{sensor_id}/rotate-token", "post", _SENSOR, None),
    "DeleteSensor": ("/sensors/{sensor_id}", "delete", _SENSOR, None),
}
_HOOK_USES = {
    "ReceiveWebhook": ("/hooks/{token}", "post", {"token": "$response.body#/webhook_token"}, None),
}
LINKS: dict[tuple[str, str, tuple[str, ...]], dict[str, tuple[str, str, dict, Any]]] = {
    ("/flows", "post", ("200", "201")): {
        "GetFlow": ("/flows/{flow_name}", "get", _FLOW, None),
        "GetFlowVersion": ("/flows/{flow_name}/versions/{flow_version}", "get",
                           {**_FLOW, "flow_version": "$response.body#/flow_version"}, None),
        "CreateDeployment": ("/deployments", "post", {}, {
            "flow_name": "$response.body#/flow_name",
            "flow_version": "$response.body#/flow_version"}),
    },
    ("/deployments", "post", ("200", "201")): _DEPLOYMENT_USES,
    ("/deployments/{deployment_name}", "get", ("200",)): _DEPLOYMENT_USES,
    ("/runs", "post", ("200", "202")): _RUN_USES,
    ("/runs/{run_id}/retry", "post", ("200",)): _RUN_USES,
    ("/schedules", "post", ("201",)): _SCHEDULE_USES,
    ("/sensors", "post", ("201",)): {**_SENSOR_USES, **_HOOK_USES},
    ("/sensors/{sensor_id}/rotate-token", "post", ("200",)): _HOOK_USES,
}


def install_openapi(app: FastAPI) -> None:
    """Serve the finished document from /openapi.json (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary,
                                 description=app.description, routes=app.routes)
            app.openapi_schema = finish(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def finish(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {})
    components.setdefault("securitySchemes", {})["bearerAuth"] = {
        "type": "http", "scheme": "bearer",
        "description": "An API key (`Authorization: Bearer dagy_<prefix>_<secret>`) or a "
                       "person's access token from POST /auth/login (`dagyat_<id>_<secret>`; "
                       "pick the org with the X-Dagy-Org header)"}
    check_table(schema)  # every operation names its permission (or None: no key)
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            _use_error_body(operation)
            if permission_for(method, path) is not None:
                operation["security"] = [{"bearerAuth": []}]
    annotate(schema)
    for name in _FASTAPI_ERRORS:
        components.get("schemas", {}).pop(name, None)
    _add_links(schema)
    return schema


def _use_error_body(operation: dict[str, Any]) -> None:
    for status, response in operation.get("responses", {}).items():
        if not status.startswith(("4", "5")):
            continue
        response["content"] = {"application/json": {"schema": {"$ref": _ERROR_REF}}}


def _add_links(schema: dict[str, Any]) -> None:
    paths = schema["paths"]
    for (path, method, statuses), links in LINKS.items():
        responses = paths[path][method]["responses"]
        built = {name: _link(paths, *target) for name, target in links.items()}
        for status in statuses:
            responses[status].setdefault("links", {}).update(built)


def _link(paths: dict[str, Any], path: str, method: str, parameters: dict[str, str],
          body: Any) -> dict[str, Any]:
    link: dict[str, Any] = {"operationId": paths[path][method]["operationId"]}
    if parameters:
        link["parameters"] = {f"path.{name}": value for name, value in parameters.items()}
    if body is not None:
        link["requestBody"] = body
    return link
