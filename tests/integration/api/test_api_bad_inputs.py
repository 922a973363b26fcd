"""Every endpoint refuses bad input with a 4xx in the error shape, never a 500."""

from __future__ import annotations

import json

import pytest

from dagy.entrypoints.api.errors import JSON_BODY_LIMIT

ZIP_HEADERS = {"Content-Type": "application/zip"}
JSON_TEXT = {"Content-Type": "application/json"}
DEP = {"deployment_name": "d2", "flow_name": "numbers"}
RUN = {"deployment_name": "numbers-prod"}

CASES = [
    # artifacts
    ("POST", "/artifacts", {"content": b"PK", "headers": ZIP_HEADERS}, 422),  # no flow_name
    ("POST", "/artifacts?flow_name=numbers", {"content": b"", "headers": ZIP_HEADERS}, 422),
    ("POST", "/artifacts?flow_name=numbers", {"content": b"not a zip"}, 422),
    ("POST", "/artifacts?flow_name=a/b", {"content": "{zip}"}, 422),
    ("POST", "/artifacts?flow_name=numbers",
     {"content": "{zip}", "headers": {"X-Dagy-Code-Hash": "../etc"}}, 422),
    # flows
    ("POST", "/flows", {"content": b"{bad json", "headers": JSON_TEXT}, 422),
    ("POST", "/flows", {"content": b"\xff\xfe", "headers": JSON_TEXT}, (400, 422)),
    ("POST", "/flows", {"json": [1, 2]}, 422),
    ("POST", "/flows", {"json": "a string"}, 422),
    ("POST", "/flows", {"json": None}, 422),
    ("POST", "/flows", {"json": {}}, 422),
    ("POST", "/flows", {"content": b"{}", "headers": {"Content-Type": "text/plain"}}, 422),
    ("POST", "/flows", {"flow": {"extra": 1}}, 422),
    ("POST", "/flows", {"flow": {"flow_name": 5}}, 422),
    ("POST", "/flows", {"flow": {"flow_spec": "x"}}, 422),
    ("POST", "/flows", {"flow": {"flow_spec": {}}}, 422),
    ("POST", "/flows", {"flow": {"flow_spec": {"name": "numbers", "tasks": "x"}}}, 422),
    ("POST", "/flows", {"flow": {"flow_name": "other"}}, 422),  # spec name mismatch
    ("POST", "/flows", {"flow": {"flow_name": "a/b"}}, 422),
    ("POST", "/flows", {"flow": {"flow_version": ""}}, 422),
    ("POST", "/flows", {"flow": {"code_hash": "../../x"}}, 422),
    ("POST", "/flows", {"flow": {"tags": {"a": 1}}}, 422),
    ("POST", "/flows", {"flow": {"default_executor": "gpu"}}, 422),
    ("GET", "/flows?limit=0", {}, 422),
    ("GET", "/flows?limit=1001", {}, 422),
    ("GET", "/flows?limit=abc", {}, 422),
    ("GET", "/flows?cursor=garbage", {}, 422),
    ("GET", "/flows?tag=novalue", {}, 422),
    ("GET", "/flows/unknown", {}, 404),
    ("GET", "/flows/numbers/versions/9.9.9", {}, 404),
    ("GET", "/flows/unknown/versions/latest", {}, 404),
    # deployments
    ("POST", "/deployments", {"json": {}}, 422),
    ("POST", "/deployments", {"json": [DEP]}, 422),
    ("POST", "/deployments", {"content": b"nope", "headers": JSON_TEXT}, 422),
    ("POST", "/deployments", {"json": {**DEP, "extra": True}}, 422),
    ("POST", "/deployments", {"json": {**DEP, "deployment_name": 1}}, 422),
    ("POST", "/deployments", {"json": {**DEP, "deployment_name": "a/b"}}, 422),
    ("POST", "/deployments", {"json": {**DEP, "deployment_name": " padded "}}, 422),
    ("POST", "/deployments", {"json": {**DEP, "flow_name": "unknown"}}, 404),
    ("POST", "/deployments", {"json": {**DEP, "flow_version": "9.9"}}, 404),
    ("POST", "/deployments", {"json": {**DEP, "default_executor": "gpu"}}, 422),
    ("POST", "/deployments", {"json": {**DEP, "default_runtime_tier": "huge"}}, 422),
    ("POST", "/deployments", {"json": {**DEP, "schedule": 5}}, 422),
    ("POST", "/deployments", {"json": {**DEP, "parameters": [1]}}, 422),
    ("POST", "/deployments", {"json": {**DEP, "tags": {"a": None}}}, 422),
    ("POST", "/deployments", {"json": {**RUN, "flow_name": "other"}}, (404, 409)),
    ("GET", "/deployments?limit=-1", {}, 422),
    ("GET", "/deployments?cursor=%%%", {}, 422),
    ("GET", "/deployments/unknown", {}, 404),
    ("PATCH", "/deployments/unknown", {"json": {"tags": {}}}, 404),
    ("PATCH", "/deployments/numbers-prod", {"json": {"deployment_name": "x"}}, 422),
    ("PATCH", "/deployments/numbers-prod", {"json": {"flow_version": None}}, 422),
    ("PATCH", "/deployments/numbers-prod", {"json": {"default_executor": "gpu"}}, 422),
    ("PATCH", "/deployments/numbers-prod", {"json": []}, 422),
    ("PATCH", "/deployments/numbers-prod", {"content": b"{", "headers": JSON_TEXT}, 422),
    ("PATCH", "/deployments/numbers-prod", {}, 422),
    ("DELETE", "/deployments/unknown", {}, 404),
    ("POST", "/deployments/unknown/pause", {}, 404),
    ("POST", "/deployments/unknown/resume", {}, 404),
    # runs
    ("POST", "/runs", {"json": {}}, 422),
    ("POST", "/runs", {}, 422),
    ("POST", "/runs", {"json": None}, 422),
    ("POST", "/runs", {"content": b"deployment_name=x", "headers": JSON_TEXT}, 422),
    ("POST", "/runs", {"json": {"deployment_name": 5}}, 422),
    ("POST", "/runs", {"json": {**RUN, "parameters": "n=1"}}, 422),
    ("POST", "/runs", {"json": {**RUN, "parameters": [1]}}, 422),
    ("POST", "/runs", {"json": {**RUN, "parameters": {"n": 1}, "runtime_tier": "huge"}}, 422),
    ("POST", "/runs", {"json": {**RUN, "parameters": {"n": 1}, "idempotency_key": ""}}, 422),
    ("POST", "/runs", {"json": {**RUN, "parameters": {"n": 1}, "idempotency_key": "k" * 301}},
     422),
    ("POST", "/runs", {"json": {**RUN, "parameters": {"n": 1}, "priority": 1}}, 422),
    ("POST", "/runs", {"json": {"deployment_name": "unknown"}}, 404),
    ("GET", "/runs?limit=0", {}, 422),
    ("GET", "/runs?limit=x", {}, 422),
    ("GET", "/runs?status=sleeping", {}, 422),
    ("GET", "/runs?created_after=yesterday", {}, 422),
    ("GET", "/runs?created_before=2024-13-45", {}, 422),
    ("GET", "/runs?cursor=bm90LWpzb24", {}, 422),
    ("GET", "/runs/unknown", {}, 404),
    ("GET", "/runs/unknown/task-runs", {}, 404),
    ("GET", "/runs/unknown/logs", {}, 404),
    ("GET", "/runs/{run}/logs?cursor=abc", {}, (400, 422)),
    ("GET", "/runs/{run}/task-runs?cursor=abc", {}, 422),
    ("GET", "/runs/{run}/task-runs?limit=100000", {}, 422),
    ("POST", "/runs/unknown/cancel", {}, 404),
    ("POST", "/runs/unknown/retry", {}, 404),
    ("POST", "/runs/{run}/retry", {}, 409),  # QUEUED is not retryable
    ("PUT", "/runs", {"json": {}}, 405),
    ("GET", "/runs/%00", {}, 404),
]


@pytest.fixture
def seeded(api):
    deployed = api.deploy()
    run = api.trigger(parameters={"n": 1})
    body = api.register_body(deployed["flow"], deployed["artifact"], deployed["uri"])
    return {"run": run["run_id"], "flow": body,
            "zip": deployed["artifact"].path.read_bytes()}


@pytest.mark.parametrize("method,path,kwargs,expected", CASES,
                         ids=[f"{m} {p} #{i}" for i, (m, p, _, _) in enumerate(CASES)])
def test_bad_input_is_a_4xx_in_the_error_shape(api, seeded, method, path, kwargs, expected):
    kwargs = dict(kwargs)
    if "flow" in kwargs:  # a valid registration with some fields changed
        kwargs["json"] = {**seeded["flow"], **kwargs.pop("flow")}
    if kwargs.get("content") == "{zip}":
        kwargs["content"] = seeded["zip"]
    response = api.call(method, path.replace("{run}", seeded["run"]), **kwargs)
    error = api.error(response)
    assert response.status_code in (expected if isinstance(expected, tuple) else (expected,)), \
        response.text
    if response.status_code == 422 and error["details"] is not None:
        json.dumps(error["details"])  # JSON-safe


def test_validation_details_are_the_pydantic_errors(api):
    response = api.post("/runs", json={"deployment_name": 5, "extra": 1})
    error = api.error(response, 422, "invalid")
    kinds = {(tuple(d["loc"]), d["type"]) for d in error["details"]}
    assert (("body", "deployment_name"), "string_type") in kinds
    assert (("body", "extra"), "extra_forbidden") in kinds


def test_json_body_over_one_mib_is_413(api):
    big = {"deployment_name": "numbers-prod", "parameters": {"n": "x" * JSON_BODY_LIMIT}}
    api.error(api.post("/runs", json=big), 413, "payload_too_large")

    def chunks():  # no Content-Length: counted while streaming
        yield b'{"deployment_name": "numbers-prod", "parameters": {"n": "'
        for _ in range(JSON_BODY_LIMIT // 65536 + 2):
            yield b"x" * 65536
        yield b'"}}'

    api.error(api.post("/runs", content=chunks(), headers=JSON_TEXT), 413, "payload_too_large")
    api.error(api.post("/runs", content=b"{}", headers={**JSON_TEXT, "Content-Length": "x"}),
              400, "bad_request")
    assert api.get("/runs").json()["items"] == []


def test_artifact_limit_is_larger_than_the_json_limit(api):
    payload = b"x" * (JSON_BODY_LIMIT + 10)  # over the JSON limit, not over 250 MiB
    response = api.post("/artifacts", params={"flow_name": "numbers"}, content=payload,
                        headers=ZIP_HEADERS)
    error = api.error(response, 422, "invalid")
    assert "ZIP" in error["message"]


def test_artifact_over_250_mib_is_refused_from_its_content_length(api):
    from dagy.application.use_cases.flows import MAX_ARTIFACT_BYTES

    response = api.post("/artifacts", params={"flow_name": "numbers"}, content=b"PK",
                        headers={**ZIP_HEADERS, "Content-Length": str(MAX_ARTIFACT_BYTES + 1)})
    error = api.error(response, 413, "payload_too_large")
    assert error["details"] == {"limit_bytes": MAX_ARTIFACT_BYTES}
