"""Every time the API writes has one form: ISO 8601 UTC, six fraction digits, a "Z".

The walk covers every GET operation the OpenAPI document lists (a new GET route without
an entry in `_concrete` fails the test), over a deployment with a finished run, its task
runs and logs, a schedule and a sensor. Requests keep accepting `Z` and `+00:00`.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

WIRE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
LOOKS_LIKE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
#: a preview slot's `local` is the wall-clock time in the schedule's zone, with its offset
ZONE_LOCAL_KEYS = {"local"}


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str, str]]:
    """(path, key, string) for every string in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                yield f"{path}.{key}", key, item
            else:
                yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield f"{path}[{index}]", "", item
            else:
                yield from _strings(item, f"{path}[{index}]")


def _times(document: Any) -> list[tuple[str, str]]:
    """(path, value) of every string that is a time by its key or by its look."""
    found = []
    for path, key, text in _strings(document):
        if key in ZONE_LOCAL_KEYS or key == "message":
            continue
        if key.endswith("_at") or key in ("timestamp", "utc") or LOOKS_LIKE_TIME.match(text):
            found.append((path, text))
    return found


def _seed(api) -> dict[str, str]:
    api.deploy()
    run = api.trigger(parameters={"n": 3})
    api.drain()
    schedule = api.post("/schedules", json={
        "deployment_name": "numbers-prod", "cron_expression": "30 2 * * *",
        "timezone": "Europe/Berlin", "start_at": "2026-01-01T00:00:00+00:00",
        "parameters": {"n": 1}}).json()
    sensor = api.post("/sensors", json={"name": "hook", "sensor_type": "webhook",
                                        "deployment_name": "numbers-prod"}).json()
    org_id = api.get("/me").json()["org_id"]
    assert api.post(f"/orgs/{org_id}/invitations", json={  # its created_at and expires_at
        "email": "ann@example.com", "role": "viewer"}).status_code == 201
    assert api.call("PUT", "/secrets/WIRE_TIMES", json={"value": "x"}).status_code == 201
    return {"secret_name": "WIRE_TIMES","org_id": org_id, "run_id": run["run_id"], "schedule_id": schedule["schedule_id"],
            "sensor_id": sensor["sensor_id"], "flow_name": "numbers", "flow_version": "1.0.0",
            "deployment_name": "numbers-prod", "env_name": "production"}


def _concrete(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)


def test_every_get_writes_every_time_in_the_one_utc_form(api):
    ids = _seed(api)
    document = api.client.get("/openapi.json").json()
    gets = sorted(path for path, item in document["paths"].items() if "get" in item)
    assert {"/runs/{run_id}/logs", "/schedules/{schedule_id}/preview", "/flows/{flow_name}"} \
        <= set(gets)
    seen: list[tuple[str, str]] = []
    for path in gets:
        response = api.get(_concrete(path, ids))
        assert response.status_code == 200, (path, response.text)
        if path == "/openapi.json" or not response.headers["content-type"].startswith(
                "application/json"):
            continue
        times = _times(response.json())
        wrong = [(where, text) for where, text in times if text is not None
                 and not WIRE_TIME.match(text)]
        assert not wrong, (path, wrong)
        seen += [(path, text) for _, text in times]
    kinds = {path for path, _ in seen}
    for expected in ("/runs", "/runs/{run_id}/task-runs", "/runs/{run_id}/logs", "/flows",
                     "/deployments", "/schedules", "/sensors",
                     "/schedules/{schedule_id}/preview", "/secrets", "/secrets/{secret_name}"):
        assert expected in kinds, f"{expected} wrote no time to check"


def test_requests_take_times_with_z_or_an_offset(api):
    api.deploy()
    for start in ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00+00:00",
                  "2026-01-01T01:00:00+01:00"):
        created = api.post("/schedules", json={"deployment_name": "numbers-prod",
                                                "cron_expression": "0 3 * * *",
                                                "start_at": start,
                                                "parameters": {"n": 1}})
        assert created.status_code == 201, created.text
        assert created.json()["start_at"] == "2026-01-01T00:00:00.000000Z"
    for after in ("2000-01-01T00:00:00Z", "2000-01-01T00:00:00+00:00"):
        assert api.get("/runs", params={"created_after": after}).status_code == 200


def test_the_sdk_reads_the_times_it_is_given(api):
    """The SDK keeps times as the strings the API wrote; the CLI shortens them."""
    from dagy.entrypoints.cli.remote import _short_time
    from dagy.models import Run

    api.deploy()
    body = api.trigger(parameters={"n": 2})
    run = Run.from_dict(body)
    assert WIRE_TIME.match(run.created_at)
    assert _short_time(run.created_at) == run.created_at[:19].replace("T", " ")


def test_the_openapi_document_declares_every_time_as_a_utc_date_time(api):
    document = api.client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    requests = json.dumps([op.get("requestBody", {}) for item in document["paths"].values()
                           for op in item.values()])
    bodies = {ref.rsplit("/", 1)[-1] for ref in re.findall(r'"\$ref": "([^"]+)"', requests)}
    declared = 0
    for model, schema in schemas.items():
        if model in bodies:  # requests take any offset
            continue
        for name, prop in schema.get("properties", {}).items():
            if not (name.endswith("_at") or name in ("timestamp", "utc")):
                continue
            strings = [p for p in prop.get("anyOf", [prop]) if p.get("type") == "string"]
            assert strings and all(p.get("format") == "date-time" for p in strings), (model, name)
            assert "trailing Z" in prop.get("description", ""), (model, name)
            declared += 1
    assert declared >= 20
