"""HTTP client for the Dagy control plane.

Standard library only (urllib imported lazily) so that `import dagy` stays fast and
the SDK installs without an HTTP stack. Every transport failure becomes a DagyError.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from dagy.client_errors import DagyApiError, DagyConnectionError, one_line_reason
from dagy.client_environments import EnvironmentCalls
from dagy.client_schedules import ScheduleCalls
from dagy.client_secrets import SecretCalls
from dagy.client_identity import IdentityCalls
from dagy.client_orgs import OrgCalls
from dagy.client_sensors import SensorCalls
from dagy.client_sessions import SessionCalls
from dagy.models import Deployment, Run, split_executor
from dagy.domain.errors import DagyError
from dagy.domain.tiers import parse_tier
from dagy.settings import resolve_connection

_MAX_PAGES = 1000  # bounds cursor-following even if a server keeps returning cursors
# ZIPs above this go through a presigned upload (AWS Lambda caps request bodies near 6 MB)
PRESIGN_THRESHOLD_BYTES = 5 * 1024 * 1024


def _api_error(status: int, body: bytes, fallback: str) -> DagyApiError:
    try:
        err = json.loads(body.decode("utf-8")).get("error")
    except (ValueError, UnicodeDecodeError, AttributeError):
        err = None
    if isinstance(err, dict):
        return DagyApiError(status, str(err.get("code") or f"http_{status}"),
                            str(err.get("message") or fallback), err.get("details"))
    text = body.decode("utf-8", "replace").strip()[:200]
    return DagyApiError(status, f"http_{status}", text or fallback)


class DagyClient(ScheduleCalls, SensorCalls, IdentityCalls, SessionCalls, EnvironmentCalls,
                 OrgCalls, SecretCalls):
    """Talks to the control plane's REST API. URL/key: args > env > profile > default.

    `org` (else DAGY_ORG, else the profile's `org`): the org id or name a person's
    requests act in, sent as X-Dagy-Org. A profile holding a login pair (`dagy login`)
    authenticates with its access token and refreshes it on 401 (dagy.client_sessions)."""

    def __init__(self, api_url: str | None = None, api_key: str | None = None,
                 profile: str | None = None, timeout: float = 30,
                 org: str | None = None) -> None:
        connection = resolve_connection(api_url, api_key, profile, org)
        self.api_url = connection.api_url
        self.api_key = connection.api_key
        self.profile = connection.profile
        self.org = connection.org
        self.access_token = connection.access_token
        self.refresh_token = connection.refresh_token
        self.tokens_in_profile = connection.refresh_token is not None
        self.timeout = timeout

    def __repr__(self) -> str:  # never show the key
        return f"DagyClient(api_url={self.api_url!r}, profile={self.profile!r})"

    # -- transport -------------------------------------------------------------------

    def _send(self, method: str, path: str, *, body: Any = None, data: bytes | None = None,
              query: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
              anonymous: bool = False) -> Any:
        """One HTTP exchange (`_request`, dagy.client_sessions, adds the refresh on 401);
        `anonymous`: without the client's credential (login, refresh)."""
        import http.client
        import urllib.error
        import urllib.request

        query = {k: str(v) for k, v in (query or {}).items() if v is not None}
        url = self.api_url + path + (f"?{urlencode(query)}" if query else "")
        hdrs = {"Accept": "application/json", "User-Agent": "dagy-sdk"}
        credential = None if anonymous else (self.access_token or self.api_key)
        if credential:
            hdrs["Authorization"] = f"Bearer {credential}"
        if self.org:
            hdrs["X-Dagy-Org"] = self.org
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        request = urllib.request.Request(url, data=data, headers=hdrs, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            try:
                raw = exc.read() or b""
            except (OSError, http.client.HTTPException):
                raw = b""
            raise _api_error(exc.code, raw, f"{method} {path} failed") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            raise DagyConnectionError(
                f"cannot reach the Dagy control plane at {self.api_url} ({one_line_reason(exc)}); "
                "start it with `dagy server` or set DAGY_API_URL to its address") from None
        if not raw.strip():
            return {}
        try:
            return json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise DagyApiError(status, "invalid_response",
                               f"{method} {path} returned a body that is not JSON") from None

    def _items(self, path: str, query: dict[str, Any] | None = None,
               follow: bool = False) -> list[dict]:
        """Read the `{"items": [...], "next_cursor": ...}` list shape, optionally every page."""
        query = dict(query or {})
        items: list[dict] = []
        seen: set[str] = set()
        for _ in range(_MAX_PAGES):
            page = self._request("GET", path, query=query)
            if isinstance(page, list):  # tolerate a bare list
                return items + page
            items.extend(page.get("items") or [])
            cursor = page.get("next_cursor")
            if not follow or not cursor or cursor in seen:
                break
            seen.add(cursor)
            query["cursor"] = cursor
        return items

    @staticmethod
    def _seg(name: str) -> str:
        return quote(str(name), safe="")

    # -- flows and artifacts ---------------------------------------------------------

    def health(self) -> dict:
        return self._request("GET", "/health")

    def upload_artifact(self, path: str | os.PathLike, code_hash: str, flow_name: str,
                        presign: bool | None = None) -> str:
        """Upload a built artifact ZIP; returns the URI the control plane stored it under.

        ZIPs over PRESIGN_THRESHOLD_BYTES (or any, with `presign=True`) go straight to the
        artifact store through a presigned URL when the control plane offers one, and as
        the request body when it answers 422; `presign=False` always sends the body."""
        try:
            payload = Path(path).read_bytes()
        except OSError as exc:
            raise DagyError(f"cannot read artifact {path}: {one_line_reason(exc)}") from None
        if presign is None:
            presign = len(payload) > PRESIGN_THRESHOLD_BYTES
        if presign:
            from dagy.transfer import presigned_upload

            uri = presigned_upload(self._request, payload, flow_name, self.timeout)
            if uri is not None:
                return uri
        result = self._request("POST", "/artifacts", data=payload, query={"flow_name": flow_name},
                               headers={"Content-Type": "application/zip",
                                        "X-Dagy-Code-Hash": code_hash})
        uri = result.get("artifact_uri") if isinstance(result, dict) else None
        if not uri:
            raise DagyApiError(201, "invalid_response", "artifact upload returned no artifact_uri")
        return uri

    def register_flow(self, flow_name: str, flow_version: str, flow_spec: dict,
                      artifact_uri: str, code_hash: str, namespace: str | None = None,
                      tags: dict | None = None, default_executor: Any = None) -> dict:
        """Register one flow version (idempotent for the same code hash; 409 otherwise)."""
        executor, _ = split_executor(default_executor)
        return self._request("POST", "/flows", body={
            "flow_name": flow_name, "flow_version": flow_version, "flow_spec": flow_spec,
            "artifact_uri": artifact_uri, "code_hash": code_hash,
            "namespace": namespace or "default", "tags": dict(tags or {}),
            "default_executor": executor})

    def get_flow(self, name: str) -> dict | None:
        """The flow with its `versions`, or None if the control plane does not know it."""
        try:
            return self._request("GET", f"/flows/{self._seg(name)}")
        except DagyApiError as exc:
            if exc.status == 404:
                return None
            raise

    def list_flows(self) -> list[dict]:
        """The latest version of each registered flow, following cursors."""
        return self._items("/flows", follow=True)

    # -- deployments -----------------------------------------------------------------

    def create_deployment(self, deployment_name: str, flow_name: str, flow_version: str,
                          schedule: str | None = None, default_executor: Any = None,
                          default_runtime_tier: str | None = None, tags: dict | None = None,
                          parameters: dict | None = None,
                          environment: str | None = None) -> Deployment:
        """Create or update a deployment. An Executor's tier fills default_runtime_tier.
        `environment`: where a new deployment goes (the server's default: development)."""
        executor, tier = split_executor(default_executor)
        body = {"deployment_name": deployment_name, "flow_name": flow_name,
                "flow_version": flow_version}
        optional = {"schedule": schedule, "default_executor": executor,
                    "default_runtime_tier": parse_tier(default_runtime_tier or tier),
                    "tags": tags, "parameters": parameters, "environment": environment}
        body.update({k: v for k, v in optional.items() if v is not None})
        result = self._request("POST", "/deployments", body=body)
        return Deployment.from_dict({**body, **(result if isinstance(result, dict) else {})})

    def get_deployment(self, name: str) -> Deployment:
        return Deployment.from_dict(self._request("GET", f"/deployments/{self._seg(name)}"))

    def list_deployments(self) -> list[Deployment]:
        """Every deployment, following cursors."""
        return [Deployment.from_dict(d) for d in self._items("/deployments", follow=True)]

    def delete_deployment(self, name: str) -> None:
        """Delete a deployment and its schedules; its runs remain."""
        self._request("DELETE", f"/deployments/{self._seg(name)}")

    def pause_deployment(self, name: str) -> Deployment:
        return self._deployment_action(name, "pause")

    def resume_deployment(self, name: str) -> Deployment:
        return self._deployment_action(name, "resume")

    def _deployment_action(self, name: str, action: str) -> Deployment:
        result = self._request("POST", f"/deployments/{self._seg(name)}/{action}")
        if isinstance(result, dict) and result.get("deployment_name"):
            return Deployment.from_dict(result)
        return self.get_deployment(name)

    def backfill(self, deployment_name: str, start: str, end: str,
                 schedule_id: str | None = None, max_concurrent: int | None = None) -> dict:
        """Create the runs of the deployment's schedule slots in [start, end) (ISO times
        with offsets); with `max_concurrent`, only while fewer are active (call again for
        the `pending` rest). Answers the counts and each slot's run (see docs/server.md)."""
        body: dict[str, Any] = {"start": start, "end": end}
        if schedule_id is not None:
            body["schedule_id"] = schedule_id
        if max_concurrent is not None:
            body["max_concurrent"] = max_concurrent
        return self._request("POST", f"/deployments/{self._seg(deployment_name)}/backfill",
                             body=body)

    # -- runs ------------------------------------------------------------------------

    def trigger_run(self, deployment_name: str, parameters: dict | None = None,
                    runtime_tier: str | None = None, idempotency_key: str | None = None) -> Run:
        """Queue a run; the returned Run can `.wait()` for its result."""
        body: dict[str, Any] = {"deployment_name": deployment_name,
                                "parameters": dict(parameters or {})}
        if runtime_tier is not None:
            body["runtime_tier"] = parse_tier(runtime_tier)
        if idempotency_key is not None:
            body["idempotency_key"] = idempotency_key
        result = self._request("POST", "/runs", body=body)
        return Run.from_dict({"deployment_name": deployment_name,
                              "parameters": body["parameters"], **result}, client=self)

    def get_run(self, run_id: str) -> Run:
        return Run.from_dict(self._request("GET", f"/runs/{self._seg(run_id)}"), client=self)

    def list_runs(self, **filters: Any) -> list[Run]:
        """One page of runs; filters: deployment_name, status, limit, cursor."""
        return [Run.from_dict(r, client=self) for r in self._items("/runs", query=filters)]

    def cancel_run(self, run_id: str) -> Run:
        return self._run_action(run_id, "cancel")

    def retry_run(self, run_id: str, from_tasks: list[str] | None = None) -> Run:
        """Retry a failed or cancelled run; tasks (and mapped items) that succeeded are
        kept. `from_tasks`: task ids to run again with everything downstream of them,
        even on a succeeded run (Airflow's "clear"). Returns the run the server reports."""
        body = None if from_tasks is None else {"from_tasks": list(from_tasks)}
        return self._run_action(run_id, "retry", body)

    def _run_action(self, run_id: str, action: str, body: dict | None = None) -> Run:
        result = self._request("POST", f"/runs/{self._seg(run_id)}/{action}", body=body)
        if isinstance(result, dict) and result.get("run_id"):
            return Run.from_dict(result, client=self)
        return self.get_run(run_id)

    def task_runs(self, run_id: str) -> list[dict]:
        return self._items(f"/runs/{self._seg(run_id)}/task-runs", follow=True)

    def logs(self, run_id: str) -> list[dict]:
        return self._items(f"/runs/{self._seg(run_id)}/logs", follow=True)
