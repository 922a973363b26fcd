"""Values that reach storage without an HTTP body are held to the same rule.

A poll probe's payload, a webhook body sent without a Content-Type, a trigger from
Python and every use case that stores client JSON (deployment parameters, schedule
parameters, sensor flow_params and config) refuse an unstorable value before writing,
on SQLite and PostgreSQL. Task results that could not be rendered are not stored.
"""

from __future__ import annotations

import pytest

from dagy.adapters.values import persistable
from dagy.application.principal import Principal
from dagy.application.use_cases import deployments, runs, schedules, sensors
from bad_input_harness import SQL_BACKENDS, changed_tables, seeded_api
from dagy.domain.errors import ValidationError
from dagy.domain.json_values import MAX_DEPTH


def nested(levels: int) -> list:
    value: list = []
    for _ in range(levels - 1):
        value = [value]
    return value


UNSTORABLE = {
    "nan": float("nan"), "infinity": float("inf"), "minus_infinity": float("-inf"),
    "lone_surrogate": "a\ud800", "surrogate_key": {"\udfff": 1},
    "too_deep": nested(MAX_DEPTH + 1), "very_deep": nested(5000),
    "tuple": (1, 2), "bytes": b"x", "int_key": {1: "a"}, "huge_int": 10 ** 5000,
}


@pytest.fixture(params=SQL_BACKENDS)
def api(request, tmp_path):
    with seeded_api(request.param, tmp_path) as seeded:
        yield seeded


def writes_of(api, action) -> tuple[BaseException | None, list[str]]:
    before = api.snapshot()
    try:
        action()
        error = None
    except ValidationError as exc:
        error = exc
    return error, changed_tables(before, api.snapshot())


def test_use_cases_refuse_unstorable_values_before_writing(api):
    for label, bad in UNSTORABLE.items():
        refused_without_writing(api, label, bad)


def refused_without_writing(api, label: str, bad) -> None:
    me = Principal(api.org_id)
    attempts = {
        "trigger_run": lambda: runs.trigger_run(api.deps, me, "dep", {"y": bad}),
        "create_deployment": lambda: deployments.create_deployment(api.deps, me, {
            "deployment_name": "other", "flow_name": api.ids["flow_name"],
            "parameters": {"y": bad}}),
        "patch_deployment": lambda: deployments.patch_deployment(
            api.deps, me, "dep", {"parameters": {"y": bad}}),
        "create_schedule": lambda: schedules.create_schedule(api.deps, me, {
            "deployment_name": "dep", "mode": "manual", "parameters": {"y": bad}}),
        "patch_schedule": lambda: schedules.patch_schedule(
            api.deps, me, api.ids["schedule_id"], {"parameters": {"y": bad}}),
        "create_sensor": lambda: sensors.create_sensor(api.deps, me, {
            "name": "s2", "sensor_type": "webhook", "deployment_name": "dep",
            "flow_params": {"y": bad}}),
        "patch_sensor_flow_params": lambda: sensors.patch_sensor(
            api.deps, me, api.ids["sensor_id"], {"flow_params": {"y": bad}}),
        "patch_sensor_config": lambda: sensors.patch_sensor(
            api.deps, me, api.ids["polling_sensor_id"],
            {"config": {"kind": "http", "url": "http://127.0.0.1:9/", "fire_on_first": bad}}),
    }
    for name, attempt in attempts.items():
        error, writes = writes_of(api, attempt)
        assert error is not None, f"{name} accepted {label}"
        assert not writes, f"{name} with {label} wrote {writes}"


def test_a_poll_payload_that_cannot_be_stored_starts_no_run(api):
    for label in ("nan", "infinity", "lone_surrogate", "surrogate_key", "too_deep",
                  "very_deep"):
        poll_starts_no_run(api, label)


def poll_starts_no_run(api, label: str) -> None:
    me = Principal(api.org_id)
    sensor = sensors.create_sensor(api.deps, me, {
        "name": f"poll-{label}", "sensor_type": "polling", "deployment_name": "dep",
        "config": {"kind": "http", "url": "http://127.0.0.1:9/", "fire_on_first": True,
                   "parameter_mapping": {"y": "$.value"}}})
    with api.deps.uow() as uow:
        before = len(uow.runs.list(api.org_id, limit=1000)[0])

    def probe(polled):
        return "etag-1", {"value": UNSTORABLE[label]}

    fired = sensors.poll_sensors(api.deps, api.deps.clock.now(), probe)
    with api.deps.uow() as uow:
        after = len(uow.runs.list(api.org_id, limit=1000)[0])
    assert fired == 0 and after == before
    assert sensors.get_sensor(api.deps, me, sensor.sensor_id).cursor == "etag-1"  # skipped
    assert api.call("GET", "/runs").status_code == 200


def test_a_webhook_without_content_type_is_parsed_strictly(api):
    before = api.snapshot()
    for raw in (b'{"a": NaN}', b'{"a": 1e999999}', b'{"a": "\\ud800"}',
                b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}", b'{"a": 1, "a": 2}'):
        response = api.client.post(f"/hooks/{api.ids['token']}", content=raw)
        assert response.status_code == 422, (raw[:30], response.text)
        assert response.json()["error"]["message"].startswith("webhook body"), response.text
    assert not changed_tables(before, api.snapshot())


@pytest.mark.parametrize("label", sorted(set(UNSTORABLE) - {"tuple"}))
def test_task_results_that_cannot_be_rendered_are_not_stored(label):
    assert persistable({"result": UNSTORABLE[label]}) == (False, None)
    assert persistable({"result": nested(MAX_DEPTH - 1)})[0]


def test_a_tuple_result_is_stored_as_a_list():
    """Parameters must be JSON already; a result is Python's, and a pair means a list."""
    assert persistable({"result": UNSTORABLE["tuple"]}) == (True, {"result": [1, 2]})
