"""A tiny in-memory control plane speaking the REST API the SDK client targets."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from dagy.client import DagyClient

API_KEY = "test-key-123"
TERMINAL = {"SUCCEEDED", "FAILED", "CANCELLED"}


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def _err(status: int, code: str, message: str, details: Any = None):
    return status, {"error": {"code": code, "message": message, "details": details}}


@dataclass
class FakeControlPlane:
    url: str = ""
    api_key: str | None = API_KEY
    requests: list[Recorded] = field(default_factory=list)
    artifacts: dict[str, bytes] = field(default_factory=dict)
    flows: dict[str, dict] = field(default_factory=dict)
    deployments: dict[str, dict] = field(default_factory=dict)
    runs: dict[str, dict] = field(default_factory=dict)
    # statuses a run moves through, one step per GET /runs/{id}; it stays on the last one
    script: list[str] = field(default_factory=lambda: ["RUNNING", "SUCCEEDED"])
    progress: dict[str, list[str]] = field(default_factory=dict)
    page_size: int = 2
    delay: float = 0.0
    override: tuple[int, bytes] | None = None
    # presigned uploads: POST /artifacts with JSON answers an upload URL on this server
    presign: bool = False
    upload_override: tuple[int, bytes] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def calls(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def handle(self, rec: Recorded) -> tuple[int, Any]:
        with self.lock:
            self.requests.append(rec)
        if self.delay:
            time.sleep(self.delay)
        if self.override is not None:
            return self.override
        if rec.method == "PUT" and rec.path.startswith("/uploads/"):  # the "object store"
            with self.lock:
                return self.upload_override or self._store_upload(rec)
        if self.api_key and rec.headers.get("Authorization") != f"Bearer {self.api_key}":
            return _err(401, "unauthorized", "missing or invalid API key")
        with self.lock:
            return self._route(rec)

    def _route(self, r: Recorded) -> tuple[int, Any]:
        m, p, q = r.method, r.path, r.query
        if (m, p) == ("GET", "/health"):
            return 200, {"status": "ok"}
        if (m, p) == ("POST", "/artifacts") and r.headers.get("Content-Type") == "application/json":
            return self._presign(r.json)
        if (m, p) == ("POST", "/artifacts"):
            uri = f"mem://artifacts/{q['flow_name']}/{r.headers['X-Dagy-Code-Hash']}.zip"
            self.artifacts[uri] = r.body
            return 201, {"artifact_uri": uri}
        if (m, p) == ("POST", "/flows"):
            return self._register_flow(r.json)
        if m == "GET" and (match := re.fullmatch(r"/flows/([^/]+)", p)):
            flow = self.flows.get(match[1])
            return (200, flow) if flow else _err(404, "not_found", f"flow {match[1]} not found")
        if (m, p) == ("POST", "/deployments"):
            body = r.json
            flow = self.flows.get(body["flow_name"])
            if not flow or body["flow_version"] not in [v["flow_version"] for v in flow["versions"]]:
                return _err(404, "not_found", "flow version not found")
            dep = {"schedule": None, "default_executor": None, "default_runtime_tier": None,
                   "tags": {}, "parameters": {}, "status": "ACTIVE",
                   **self.deployments.get(body["deployment_name"], {}), **body}
            self.deployments[body["deployment_name"]] = dep
            return 201, dep
        if (m, p) == ("GET", "/deployments"):
            return 200, self._page(list(self.deployments.values()), q)
        if match := re.fullmatch(r"/deployments/([^/]+)(?:/(pause|resume))?", p):
            dep = self.deployments.get(match[1])
            if dep is None:
                return _err(404, "not_found", f"deployment {match[1]} not found",
                            {"deployment_name": match[1]})
            if m == "POST" and match[2]:
                dep["status"] = "PAUSED" if match[2] == "pause" else "ACTIVE"
            return 200, dep
        if (m, p) == ("POST", "/runs"):
            return self._trigger(r.json)
        if (m, p) == ("GET", "/runs"):
            runs = [x for x in self.runs.values()
                    if all(x.get(k) == q[k] for k in ("deployment_name", "status") if k in q)]
            return 200, self._page(runs, q)
        if match := re.fullmatch(r"/runs/([^/]+)(?:/([a-z-]+))?", p):
            return self._run_route(m, match[1], match[2])
        return _err(404, "not_found", f"no route {m} {p}")

    def _presign(self, body: dict) -> tuple[int, Any]:
        if not self.presign:
            return _err(422, "invalid", "send the ZIP as the request body")
        key = f"{body['flow_name']}/{body['sha256']}.zip"
        return 201, {"artifact_uri": f"mem://presigned/{key}", "method": "PUT",
                     "upload_url": f"{self.url}/uploads/{key}?X-Amz-Signature=s3cr3t",
                     "headers": {"Content-Type": "application/zip",
                                 "x-amz-checksum-sha256": "c2hh"}}

    def _store_upload(self, r: Recorded) -> tuple[int, Any]:
        self.artifacts[f"mem://presigned/{r.path[len('/uploads/'):]}"] = r.body
        return 200, b""

    def _register_flow(self, body: dict) -> tuple[int, Any]:
        flow = self.flows.setdefault(body["flow_name"], {
            "flow_name": body["flow_name"], "namespace": body["namespace"],
            "latest_version": None, "versions": []})
        for v in flow["versions"]:
            if v["flow_version"] == body["flow_version"]:
                if v["code_hash"] != body["code_hash"]:
                    return _err(409, "version_conflict", "version exists with other code")
                return 200, flow
        flow["versions"].append({"flow_version": body["flow_version"],
                                 "code_hash": body["code_hash"]})
        flow["latest_version"] = body["flow_version"]
        flow["last_body"] = body
        return 201, flow

    def _trigger(self, body: dict) -> tuple[int, Any]:
        dep = self.deployments.get(body["deployment_name"])
        if dep is None:
            return _err(404, "not_found", f"deployment {body['deployment_name']} not found")
        key = body.get("idempotency_key")
        for run in self.runs.values():
            if key and run.get("idempotency_key") == key:
                return 202, {k: run[k] for k in ("run_id", "run_slug", "status")}
        n = len(self.runs) + 1
        run = {"run_id": f"run-{n}", "run_slug": f"brave-otter-{n}", "status": "QUEUED",
               "flow_name": dep["flow_name"], "flow_version": dep["flow_version"],
               "deployment_name": dep["deployment_name"], "parameters": body["parameters"],
               "executor": "local", "external_id": None, "created_at": "2024-01-01T00:00:00Z",
               "started_at": None, "completed_at": None, "error_message": None,
               "result": None, "idempotency_key": key}
        self.runs[run["run_id"]] = run
        self.progress[run["run_id"]] = list(self.script)
        return 202, {k: run[k] for k in ("run_id", "run_slug", "status")}

    def _run_route(self, method: str, run_id: str, action: str | None) -> tuple[int, Any]:
        run = self.runs.get(run_id)
        if run is None:
            return _err(404, "not_found", f"run {run_id} not found")
        if method == "GET" and action is None:
            steps = self.progress[run_id]
            if steps:
                run["status"] = steps.pop(0) if len(steps) > 1 else steps[0]
                if run["status"] == "SUCCEEDED":
                    run["result"] = {"rows": 3}
            return 200, {k: v for k, v in run.items() if k != "idempotency_key"}
        if method == "GET" and action in ("task-runs", "logs"):
            item = ({"task_id": "extract", "status": "SUCCEEDED"} if action == "task-runs"
                    else {"message": "hello", "level": "INFO"})
            return 200, {"items": [item], "next_cursor": None}
        if method == "POST" and action == "cancel":
            if run["status"] in TERMINAL:
                return _err(409, "illegal_transition", f"run {run_id} already finished")
            run["status"] = "CANCELLED"
            self.progress[run_id] = []
            return 200, run
        if method == "POST" and action == "retry":
            code, new = self._trigger({"deployment_name": run["deployment_name"],
                                       "parameters": run["parameters"]})
            return 202, new
        return _err(404, "not_found", "no such run action")

    def _page(self, items: list[dict], q: dict[str, str]) -> dict:
        start = int(q.get("cursor", 0))
        size = int(q.get("limit", self.page_size))
        nxt = start + size if start + size < len(items) else None
        return {"items": items[start:start + size], "next_cursor": str(nxt) if nxt else None}


def _handler(plane: FakeControlPlane):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            rec = Recorded(self.command, split.path,
                           {k: v[-1] for k, v in parse_qs(split.query).items()},
                           dict(self.headers.items()), self.rfile.read(length))
            status, payload = plane.handle(rec)
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

        do_GET = do_POST = do_PUT = _serve

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """No real profile, env config or proxy may leak into these tests."""
    monkeypatch.setenv("DAGY_HOME", str(tmp_path / "dagy-home"))
    for var in ("DAGY_API_URL", "DAGY_API_KEY", "http_proxy", "HTTP_PROXY",
                "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def control_plane():
    plane = FakeControlPlane()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(plane))
    server.daemon_threads = True
    plane.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield plane
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def client(control_plane) -> DagyClient:
    return DagyClient(api_url=control_plane.url, api_key=API_KEY, timeout=5)
