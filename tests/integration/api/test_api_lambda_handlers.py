"""The Lambda entry points with real event shapes: API Gateway HTTP API v2 and SQS."""

from __future__ import annotations

import base64
import hashlib
import json
from types import SimpleNamespace

import pytest

from dagy.application import bus as bus_module
from dagy.application.use_cases.outbox import relay_outbox
from dagy.domain.events import RUN_STATUS_UPDATE
from dagy.entrypoints import lambda_runtime
from dagy.entrypoints import lambda_api, lambda_consumer

CONTEXT = SimpleNamespace(function_name="dagy-api", aws_request_id="req-1",
                          get_remaining_time_in_millis=lambda: 30000)


def http_event(method: str, path: str, query: str = "", headers: dict | None = None,
               body: str | None = None, base64_body: bool = False) -> dict:
    """An API Gateway HTTP API (payload format 2.0) event as Lambda receives it."""
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": {"host": "abc123.execute-api.eu-west-1.amazonaws.com",
                    "user-agent": "dagy-sdk", "accept": "application/json",
                    "x-forwarded-for": "203.0.113.7", "x-forwarded-port": "443",
                    "x-forwarded-proto": "https", **(headers or {})},
        "requestContext": {
            "accountId": "123456789012", "apiId": "abc123",
            "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": "203.0.113.7", "userAgent": "dagy-sdk"},
            "requestId": "JKJaXmPLvHcESHA=", "routeKey": "$default", "stage": "$default",
            "time": "10/Mar/2024:13:40:52 +0000", "timeEpoch": 1710078052000,
        },
        "isBase64Encoded": base64_body,
    }
    if query:
        event["queryStringParameters"] = dict(p.split("=", 1) for p in query.split("&"))
    if body is not None:
        event["body"] = base64.b64encode(body.encode()).decode() if base64_body else body
    return event


def sqs_event(*records: tuple[str, str]) -> dict:
    return {"Records": [{
        "messageId": message_id, "receiptHandle": f"AQEB{message_id}", "body": body,
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1710078052000",
                       "SenderId": "AIDAEXAMPLE", "ApproximateFirstReceiveTimestamp":
                       "1710078052001"},
        "messageAttributes": {}, "md5OfBody": hashlib.md5(body.encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:dagy-events",
        "awsRegion": "eu-west-1"} for message_id, body in records]}


@pytest.fixture
def lambdas(api):
    with lambda_runtime.serving(api.deps):
        yield api


def test_api_handler_serves_health(lambdas):
    response = lambda_api.handler(http_event("GET", "/health"), CONTEXT)
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"status": "ok"}
    handler = lambda_api.asgi_handler()  # built once, reused
    lambda_api.handler(http_event("GET", "/health"), CONTEXT)
    assert lambda_api.asgi_handler() is handler


def test_api_handler_authenticated_runs_and_trigger(lambdas):
    api = lambdas
    api.deploy()
    auth = {"authorization": f"Bearer {api.key}"}
    body = json.dumps({"deployment_name": "numbers-prod", "parameters": {"n": 3}})
    posted = lambda_api.handler(http_event("POST", "/runs", headers={
        **auth, "content-type": "application/json"}, body=body, base64_body=True), CONTEXT)
    assert posted["statusCode"] == 202, posted
    run_id = json.loads(posted["body"])["run_id"]
    # the invocation relayed its event before returning: it is on the queue, not waiting
    assert api.pending_outbox() == 0
    queued = api.deps.queue.receive(10, 0)
    assert [json.loads(m.body)["run_id"] for m in queued] == [run_id]
    for message in queued:
        api.deps.queue.release(message.receipt)

    response = lambda_api.handler(http_event("GET", "/runs", "limit=5&status=QUEUED",
                                             headers=auth), CONTEXT)
    assert response["statusCode"] == 200, response
    page = json.loads(response["body"])
    assert [r["run_id"] for r in page["items"]] == [run_id]

    denied = lambda_api.handler(http_event("GET", "/runs"), CONTEXT)
    assert denied["statusCode"] == 401
    assert json.loads(denied["body"])["error"]["code"] == "unauthenticated"


def test_consumer_reports_only_the_failing_message(lambdas, monkeypatch):
    api = lambdas
    api.deploy()
    run = api.trigger(parameters={"n": 4})
    relay_outbox(api.deps)
    [message] = api.deps.queue.receive(10, 60)

    def explode(deps, event):
        raise RuntimeError("backend unavailable")

    monkeypatch.setitem(bus_module.HANDLERS, RUN_STATUS_UPDATE, explode)
    failing = json.dumps({"dagy_event_type": RUN_STATUS_UPDATE, "org_id": "o",
                          "run_id": run["run_id"], "status": "RUNNING"})
    result = lambda_consumer.handler(sqs_event(("msg-good", message.body),
                                               ("msg-bad", failing)), CONTEXT)
    assert result == {"batchItemFailures": [{"itemIdentifier": "msg-bad"}]}
    done = api.get(f"/runs/{run['run_id']}").json()
    assert done["status"] == "SUCCEEDED" and done["result"] == 6


def test_consumer_drops_unusable_events_and_tolerates_redelivery(lambdas):
    api = lambdas
    api.deploy()
    run = api.trigger(parameters={"n": 2})
    relay_outbox(api.deps)
    [message] = api.deps.queue.receive(10, 60)
    event = sqs_event(("m1", message.body), ("m2", "not json"),
                      ("m3", json.dumps({"dagy_event_type": "no_such_type", "org_id": "o"})),
                      ("m4", json.dumps({"dagy_event_type": "run_execute", "org_id": "o"})),
                      ("m5", message.body))  # SQS delivered the same event twice
    assert lambda_consumer.handler(event, CONTEXT) == {"batchItemFailures": []}
    task_runs = api.get(f"/runs/{run['run_id']}/task-runs").json()["items"]
    assert {t["attempt"] for t in task_runs} == {1} and len(task_runs) == 2
    assert lambda_consumer.handler({"Records": []}, CONTEXT) == {"batchItemFailures": []}
