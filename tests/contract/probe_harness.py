"""Builds each PollProbe over a watched resource of its own for the contract tests.

HTTP: a ThreadingHTTPServer on 127.0.0.1 serving one mutable resource (with an ETag, a
Last-Modified date, or neither), answering 304 to a matching conditional GET. S3: moto's
`mock_aws` with one bucket. Memory: InMemoryPollProbe, set by hand. `probe_by_kind`
variants route the same sensors through the dispatcher the server uses.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

from dagy.domain.schedules.model import Sensor

from aws_mock import start_mock_aws

SENSOR_ID = "sensor-1"


def sensor(config: dict[str, Any], cursor: str | None = None) -> Sensor:
    return Sensor(sensor_id=SENSOR_ID, org_id="org-1", name="watch", sensor_type="polling",
                  deployment_name="dep", flow_name="flow", config=dict(config), cursor=cursor)


@dataclass
class ProbeHarness:
    """`change(n)` makes the watched resource's n-th state (n = 1, 2, ...) and answers the
    payload the probe should report for it (None: the probe need not describe it)."""
    kind: str
    probe: Callable[[Sensor], Any]
    config: dict[str, Any]
    change: Callable[[int], dict[str, Any] | None]
    fail: Callable[[], None]
    can_be_empty: bool  # an empty resource answers "nothing there yet" (cursor None)
    bad_config: dict[str, Any] | None = None  # a config the probe must refuse
    # resources beyond a probe's budgets: (a probe with small budgets, or None for the
    # harness's own probe, and the sensor that exceeds them)
    over_budget: Callable[[], list[tuple[Callable[[Sensor], Any] | None, Sensor]]] | None = None
    closers: list[Callable[[], None]] = field(default_factory=list)

    def sensor(self, cursor: str | None = None) -> Sensor:
        return sensor(self.config, cursor)

    def close(self) -> None:
        for close in reversed(self.closers):
            close()


# -- memory ------------------------------------------------------------------------------
def memory_harness(request) -> ProbeHarness:
    from dagy.adapters.memory.poll_probe import InMemoryPollProbe
    probe = InMemoryPollProbe()

    def change(n: int) -> dict[str, Any]:
        probe.set(SENSOR_ID, f"state-{n}", {"n": n})
        return {"n": n}

    return ProbeHarness("memory", probe, {"kind": "memory"}, change,
                        lambda: probe.fail(SENSOR_ID), can_be_empty=True)


# -- HTTP --------------------------------------------------------------------------------
class Resource:
    """What the test server answers: a JSON body and, by mode, its validators."""

    def __init__(self, mode: str) -> None:
        self.mode, self.status, self.delay = mode, 200, 0.0
        self.body, self.etag, self.modified = b"{}", None, None
        self.lock = threading.Lock()

    def set(self, n: int, payload: dict[str, Any]) -> None:
        with self.lock:
            self.body = json.dumps(payload).encode()
            self.etag = f'"v{n}"' if self.mode == "etag" else None
            self.modified = (formatdate(1_700_000_000 + n * 60, usegmt=True)
                             if self.mode == "last-modified" else None)


def serve(resource: Resource) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            with resource.lock:
                status, delay, body = resource.status, resource.delay, resource.body
                etag, modified = resource.etag, resource.modified
            if delay:
                time.sleep(delay)
            if self.path.startswith("/big/"):  # /big/<n>: n bytes
                status, body = 200, b"x" * int(self.path.removeprefix("/big/"))
            elif status == 200 and ((etag and self.headers.get("If-None-Match") == etag) or (
                    modified and self.headers.get("If-Modified-Since") == modified)):
                status, body = 304, b""
            self.send_response(status)
            if etag:
                self.send_header("ETag", etag)
            if modified:
                self.send_header("Last-Modified", modified)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the probe stopped reading at its size budget

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads, server.block_on_close = True, False
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return server


def http_harness(mode: str) -> Callable[[Any], ProbeHarness]:
    def build(request) -> ProbeHarness:
        from dagy.adapters.local.http_probe import HttpPollProbe
        request.getfixturevalue("no_proxy")
        resource = Resource(mode)
        server = serve(resource)
        base = f"http://127.0.0.1:{server.server_address[1]}"

        def change(n: int) -> dict[str, Any]:
            payload = {"latest": f"file-{n}.csv", "n": n}
            resource.set(n, payload)
            return payload

        def fail() -> None:
            resource.status = 500

        def over_budget():
            def slow(watched: Sensor):
                resource.delay = 2.0
                try:
                    return HttpPollProbe(timeout=0.3)(watched)
                finally:
                    resource.delay = 0.0
            return [(slow, sensor({"kind": "http", "url": base + "/feed"})),
                    (None, sensor({"kind": "http", "url": base + "/big/4096"}))]

        def shut() -> None:
            server.shutdown()
            server.server_close()

        return ProbeHarness(f"http-{mode}", HttpPollProbe(timeout=5, max_bytes=1024),
                            {"kind": "http", "url": base + "/feed"}, change, fail,
                            can_be_empty=False, bad_config={"kind": "http", "url": "ftp://x/y"},
                            over_budget=over_budget, closers=[shut])
    return build


# -- S3 ----------------------------------------------------------------------------------
class PagedClient:
    """An S3 client whose listings hold `page_size` objects a page (moto's default is 1000)."""

    def __init__(self, client: Any, page_size: int) -> None:
        self.client, self.page_size = client, page_size

    def list_objects_v2(self, **kwargs: Any) -> Any:
        return self.client.list_objects_v2(MaxKeys=self.page_size, **kwargs)


def s3_harness(request) -> ProbeHarness:
    import boto3

    from dagy.adapters.aws.s3_probe import S3PollProbe
    mock = start_mock_aws(request.getfixturevalue("monkeypatch"))
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="drops")
    config = {"kind": "s3", "bucket": "drops", "prefix": "in/"}

    def change(n: int) -> dict[str, Any]:
        key = f"in/{n:04d}.csv"  # later keys sort later: ties on LastModified go to them
        client.put_object(Bucket="drops", Key=key, Body=f"row {n}".encode())
        return {"bucket": "drops", "key": key}

    def fail() -> None:
        config["bucket"] = "no-such-bucket"

    def over_budget():
        for n in range(3):
            client.put_object(Bucket="drops", Key=f"in/page-{n}.csv", Body=b"x")
        return [(S3PollProbe(PagedClient(client, 1), max_pages=2), sensor(config))]

    return ProbeHarness("s3", S3PollProbe(client), config, change, fail, can_be_empty=True,
                        bad_config={"kind": "s3", "prefix": "in/"}, over_budget=over_budget,
                        closers=[mock.stop])


def by_kind(build: Callable[[Any], ProbeHarness]) -> Callable[[Any], ProbeHarness]:
    """The same harness with its probe reached through `probe_by_kind`."""
    def wrapped(request) -> ProbeHarness:
        from dagy.application.use_cases.sensor_triggers import probe_by_kind
        harness = build(request)
        harness.probe = probe_by_kind({harness.config["kind"]: harness.probe})
        harness.kind = f"by-kind-{harness.kind}"
        return harness
    return wrapped


BUILDERS: dict[str, Callable[[Any], ProbeHarness]] = {
    "memory": memory_harness,
    "http-etag": http_harness("etag"),
    "http-last-modified": http_harness("last-modified"),
    "http-digest": http_harness("digest"),
    "s3": s3_harness,
    "by-kind-http": by_kind(http_harness("etag")),
    "by-kind-s3": by_kind(s3_harness),
}
