"""The access log on AWS Lambda: no writer thread; each invocation writes its own entry
before returning, with API Gateway's source IP; HSTS because the request came over https."""

from __future__ import annotations

import pytest
from test_api_lambda_handlers import CONTEXT, http_event

from dagy.entrypoints import lambda_api, lambda_runtime


@pytest.fixture
def lambdas(api):
    with lambda_runtime.serving(api.deps):
        yield api


def test_each_invocation_writes_its_entry_before_returning(lambdas):
    api = lambdas
    response = lambda_api.handler(http_event("GET", "/runs/run-9", headers={
        "authorization": f"Bearer {api.key}", "x-request-id": "lambda-1"}), CONTEXT)
    assert response["statusCode"] == 404
    headers = {k.lower(): v for k, v in response["headers"].items()}
    assert headers["strict-transport-security"].startswith("max-age=")
    assert headers["x-content-type-options"] == "nosniff"
    writer = lambda_api.asgi_handler().access_log
    assert not writer.running and writer.pending == 0  # written, by no thread
    [entry] = [e for e in api.deps.access_log._entries if e.request_id == "lambda-1"]
    assert (entry.route, entry.status, entry.client_ip, entry.user_agent) == (
        "/runs/{run_id}", 404, "203.0.113.7", "dagy-sdk")
    lambda_api.handler(http_event("GET", "/flows"), CONTEXT)  # a 401: logged too
    assert any(e.status == 401 and e.credential_id == "anonymous"
               for e in api.deps.access_log._entries)
