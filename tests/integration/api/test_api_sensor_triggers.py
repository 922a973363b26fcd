"""S3 notifications through the bus and the SQS Lambda handler, and polling sensors with an
in-memory probe, a real HTTP server on 127.0.0.1 and S3 (moto)."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dagy.adapters.local.http_probe import HttpPollProbe
from dagy.adapters.memory.poll_probe import InMemoryPollProbe
from dagy.application.bus import MessageBus
from dagy.application.use_cases.sensors import poll_sensors
from dagy.domain.events import BadEventError, parse_envelope
from dagy.entrypoints import lambda_runtime
from dagy.entrypoints import lambda_consumer, workers
from dagy.entrypoints.container import build_container
from dagy.entrypoints.s3_notifications import as_envelope
from dagy.entrypoints.settings import DagySettings

FILES_FLOW = """\
from dagy import flow, task

@task
def locate(bucket: str, key: str, cursor: str) -> str:
    return bucket + "/" + key + "@" + cursor

@flow(name="{flow_name}", version="{version}")
def files(key: str = "", bucket: str = "", cursor: str = ""):
    return locate(bucket, key, cursor)
"""


def s3_notification(key: str = "in/daily+report%2B1.csv", sequencer: str = "0055AED6DCD90281E5"):
    """The body S3 puts on an SQS queue for an ObjectCreated:Put."""
    return json.dumps({"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-1",
        "eventTime": "2030-01-01T00:00:00.000Z", "eventName": "ObjectCreated:Put",
        "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
        "requestParameters": {"sourceIPAddress": "203.0.113.7"},
        "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810"},
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "dagy-sensors",
               "bucket": {"name": "landing", "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                          "arn": "arn:aws:s3:::landing"},
               "object": {"key": key, "size": 1024, "eTag": "d41d8cd98f00b204e9800998ecf8427e",
                          "sequencer": sequencer}}}]})


def sqs_event(*message_ids: str, body: str) -> dict:
    return {"Records": [{"messageId": mid, "receiptHandle": f"AQEB{mid}", "body": body,
                         "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
                         "eventSource": "aws:sqs", "awsRegion": "eu-west-1",
                         "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:dagy-events"}
                        for mid in message_ids]}


def sensor(api, sensor_type: str, config: dict, **body) -> dict:
    response = api.post("/sensors", json={"name": f"{sensor_type}-files",
                                          "sensor_type": sensor_type,
                                          "deployment_name": "files-prod", "config": config,
                                          **body})
    assert response.status_code == 201, response.text
    return response.json()


def runs(api) -> list[dict]:
    return api.get("/runs", params={"deployment_name": "files-prod"}).json()["items"]


@pytest.fixture(params=["memory", "sqlite"])
def files_api(request, deps, api_for, tmp_path):
    """The files flow deployed, on the in-memory adapters and on the embedded SQLite."""
    if request.param == "sqlite":
        container = build_container(DagySettings(home=tmp_path / "home"))
        request.addfinalizer(container.close)
        deps = container.deps
    api = api_for(deps)
    api.deploy(FILES_FLOW, "files", deployment="files-prod", flow_name="files")
    return api


def test_a_raw_s3_notification_is_a_cross_org_flow_trigger():
    event = parse_envelope(as_envelope(s3_notification()))
    assert (event["dagy_event_type"], event["source"], event["org_id"]) == (
        "flow_trigger", "s3", "*")
    assert event["Records"][0]["s3"]["bucket"]["name"] == "landing"
    with pytest.raises(BadEventError):
        parse_envelope(as_envelope({"Records": [{"eventSource": "aws:sqs"}]}))
    with pytest.raises(BadEventError):  # the domain reads Dagy's envelopes only
        parse_envelope(s3_notification())


def test_s3_notifications_through_the_bus_trigger_one_run(files_api):
    api = files_api
    sensor(api, "s3", {"bucket": "landing", "prefix": "in/", "suffix": ".csv",
                       "bucket_parameter": "bucket"})
    sensor(api, "s3", {"bucket": "landing", "prefix": "archive/"}, name="not-this-one")
    bus = MessageBus(api.deps)
    body = s3_notification()
    bus.handle(as_envelope(body), "message-1")
    bus.handle(as_envelope(body), "message-2")  # S3 delivers at least once; SQS may redeliver
    with lambda_runtime.serving(api.deps):
        answer = lambda_consumer.handler(sqs_event("message-3", "message-4", body=body), None)
    assert answer == {"batchItemFailures": []}
    [run] = runs(api)
    assert run["parameters"] == {"key": "in/daily report+1.csv", "bucket": "landing",
                                 "cursor": ""}
    assert run["trigger_source"] == "sensor"
    api.drain()
    done = api.get(f"/runs/{run['run_id']}").json()
    assert done["status"] == "SUCCEEDED" and done["result"] == "landing/in/daily report+1.csv@"

    with lambda_runtime.serving(api.deps):
        lambda_consumer.handler(sqs_event("message-5", body=s3_notification(sequencer="0055B")),
                                None)
    assert len(runs(api)) == 2  # the object was written again
    api.deps.queue.send([s3_notification(sequencer="0055C")])  # S3 -> the server's own queue
    consumer = workers.Consumer(bus, threads=1, wait_seconds=0)
    for _ in range(50):  # bounded: the notification, then the trigger it emits
        consumer.step()
        if len(runs(api)) == 3:
            break
    assert len(runs(api)) == 3
    with pytest.raises(BadEventError, match="org_id"):
        bus.handle({"dagy_event_type": "flow_trigger", "org_id": "*",
                    "deployment_name": "files-prod"})
    with pytest.raises(BadEventError):
        bus.handle({"dagy_event_type": "flow_trigger", "org_id": "*", "source": "s3"})


def test_polling_with_an_in_memory_probe_fires_once_per_cursor_change(files_api):
    api = files_api
    polled = sensor(api, "polling", {"kind": "http", "url": "https://example.com/feed.json",
                                     "cursor_parameter": "cursor",
                                     "parameter_mapping": {"key": "$.latest"}})
    probe, now = InMemoryPollProbe(), datetime.now(timezone.utc)
    probe.set(polled["sensor_id"], "etag:a", {"latest": "one.csv"})
    assert poll_sensors(api.deps, now, probe) == 0  # the baseline
    fired = []
    for step, cursor in enumerate(["etag:a", "etag:b", "etag:b", "etag:c"], start=1):
        probe.set(polled["sensor_id"], cursor, {"latest": f"{cursor}.csv"})
        fired.append(poll_sensors(api.deps, now + timedelta(seconds=70 * step), probe))
    assert fired == [0, 1, 0, 1]
    api.drain()
    got = sorted((r["parameters"]["cursor"], r["status"]) for r in runs(api))
    assert got == [("etag:b", "SUCCEEDED"), ("etag:c", "SUCCEEDED")]
    shown = api.get(f"/sensors/{polled['sensor_id']}").json()
    assert shown["cursor"] == "etag:c" and shown["next_poll_epoch"] > now.timestamp()


class _Feed(BaseHTTPRequestHandler):
    state = {"etag": '"v1"', "gets": 0, "not_modified": 0}

    def do_GET(self):  # noqa: N802
        state = type(self).state
        state["gets"] += 1
        if self.headers.get("If-None-Match") == state["etag"]:
            state["not_modified"] += 1
            self.send_response(304)
            self.end_headers()
            return
        body = json.dumps({"latest": state["etag"].strip('"') + ".csv"}).encode()
        self.send_response(200)
        self.send_header("ETag", state["etag"])
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server(monkeypatch):
    for name in ("no_proxy", "NO_PROXY"):  # the probe must reach 127.0.0.1 directly
        monkeypatch.setenv(name, "*")
    _Feed.state = {"etag": '"v1"', "gets": 0, "not_modified": 0}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_an_http_probe_follows_changing_etags(files_api, feed_server):
    api = files_api
    url = f"http://127.0.0.1:{feed_server.server_address[1]}/feed"
    polled = sensor(api, "polling", {"kind": "http", "url": url, "interval_seconds": 10,
                                     "cursor_parameter": "cursor",
                                     "parameter_mapping": {"key": "$.latest"}})
    probe, now = HttpPollProbe(timeout=5), datetime.now(timezone.utc)
    assert poll_sensors(api.deps, now, probe) == 0
    assert api.get(f"/sensors/{polled['sensor_id']}").json()["cursor"] == 'etag:"v1"'
    assert poll_sensors(api.deps, now + timedelta(seconds=20), probe) == 0  # 304
    assert _Feed.state["not_modified"] == 1
    _Feed.state["etag"] = '"v2"'
    assert poll_sensors(api.deps, now + timedelta(seconds=40), probe) == 1
    assert poll_sensors(api.deps, now + timedelta(seconds=60), probe) == 0
    [run] = runs(api)
    assert run["parameters"] == {"cursor": 'etag:"v2"', "key": "v2.csv", "bucket": ""}
    assert _Feed.state["gets"] == 4


def test_the_http_probe_reports_failures_as_probe_errors(feed_server):
    from dagy.application.ports.probes import ProbeError
    from dagy.domain.schedules.model import Sensor
    port = feed_server.server_address[1]
    probe = HttpPollProbe(timeout=2)
    for url in (f"http://127.0.0.1:{port}/feed".replace("http", "file"), "ftp://127.0.0.1/x",
                "http://127.0.0.1:1/closed"):
        with pytest.raises(ProbeError):
            probe(Sensor("s", "o", "n", "polling", "d", "f", config={"kind": "http", "url": url}))
    tiny = HttpPollProbe(timeout=2, max_bytes=5)
    with pytest.raises(ProbeError, match="more than 5 bytes"):
        tiny(Sensor("s", "o", "n", "polling", "d", "f",
                    config={"kind": "http", "url": f"http://127.0.0.1:{port}/feed"}))


def test_an_s3_probe_reports_the_newest_object_under_the_prefix():
    boto3 = pytest.importorskip("boto3")
    moto = pytest.importorskip("moto")
    from dagy.adapters.aws.s3_probe import S3PollProbe
    from dagy.domain.schedules.model import Sensor
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="landing")
        probe = S3PollProbe(client=client)
        watched = Sensor("s", "o", "n", "polling", "d", "f",
                         config={"kind": "s3", "bucket": "landing", "prefix": "in/"})
        assert probe(watched) == (None, None)
        client.put_object(Bucket="landing", Key="in/a.csv", Body=b"a")
        client.put_object(Bucket="landing", Key="other/z.csv", Body=b"z")
        cursor, payload = probe(watched)
        assert cursor.endswith("|in/a.csv") and payload["key"] == "in/a.csv"
        watched.cursor = cursor
        assert probe(watched) == (cursor, None)
        client.put_object(Bucket="landing", Key="in/b.csv", Body=b"b")
        newer, payload = probe(watched)
        assert newer > cursor and payload["key"] == "in/b.csv"
        watched.cursor = newer
        client.delete_object(Bucket="landing", Key="in/b.csv")
        assert probe(watched) == (newer, None)  # an older newest object is no change
