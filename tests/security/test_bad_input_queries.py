"""Query parameters a client controls (cursors, date-times) answer 4xx, never 5xx,
on SQLite and PostgreSQL, and the OpenAPI document says what a date-time is."""

from __future__ import annotations

import base64
import json

import pytest

from bad_input_harness import SQL_BACKENDS, seeded_api
from test_bad_input_matrix import error_shape_problem


def cursor_of(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


BAD_CURSORS = {
    "deep_nesting": cursor_of("[" * 1400 + "]" * 1400),
    "int_above_2_63": cursor_of(json.dumps([2**63, "x"])),
    "int_far_above": cursor_of(json.dumps([2**64 + 5, "x"])),
    "int_below_minus_2_63": cursor_of(json.dumps([-(2**63) - 1, "x"])),
    "nan": cursor_of('[NaN, "x"]'), "huge_float": cursor_of('[1e999999, "x"]'),
    "huge_int_digits": cursor_of("[" + "9" * 1400 + ', "x"]'),
    "surrogate": cursor_of('["\\ud800", "x"]'), "garbage": "%%%", "not_base64": "a" * 1999,
    "object": cursor_of('{"a": 1}'), "bool": cursor_of('[true, "x"]'),
}
BAD_TIMES = ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "0.5", "1700000000",
             "2027-13-01T00:00:00Z", "2027-02-30T00:00:00Z", "tomorrow", "", "2027-03-26",
             "2027-03-26T00:00:00+25:00", "2027-03-26T00:00:00.1234567Z", "+002027-03-26T00:00"]
GOOD_TIMES = ["2027-03-26T00:00:00Z", "2027-03-26T00:00:00", "2027-03-26T01:30:00+01:30",
              "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2027-03-26 00:00:00.5z"]


@pytest.fixture(params=SQL_BACKENDS)
def api(request, tmp_path):
    with seeded_api(request.param, tmp_path) as seeded:
        yield seeded


def list_paths(api) -> list[str]:
    run = api.ids["run_id"]
    return ["/runs", "/flows", "/deployments", "/schedules", "/sensors",
            f"/runs/{run}/task-runs", f"/runs/{run}/logs"]


def test_bad_cursors_are_a_4xx_on_every_list(api):
    problems = []
    for path in list_paths(api):
        for label, cursor in BAD_CURSORS.items():
            response = api.call("GET", path, params={"cursor": cursor})
            if not 400 <= response.status_code < 500 or error_shape_problem(response):
                problems.append(f"{path} cursor={label}: {response.status_code} "
                                f"{response.text[:150]}")
    assert not problems, "\n".join(problems)


def test_a_task_runs_cursor_at_the_edge_of_64_bits_still_pages(api):
    path = f"/runs/{api.ids['run_id']}/task-runs"
    for edge in (2**63 - 1, -(2**63)):
        response = api.call("GET", path, params={"cursor": cursor_of(json.dumps([edge, "x"]))})
        assert response.status_code == 200, response.text


def test_date_time_query_parameters_are_strict_iso_8601(api):
    preview = f"/schedules/{api.ids['schedule_id']}/preview"
    problems = []
    for value in BAD_TIMES:
        for path, name in (("/runs", "created_after"), ("/runs", "created_before"),
                           (preview, "after")):
            response = api.call("GET", path, params={name: value})
            if response.status_code != 422 or error_shape_problem(response):
                problems.append(f"{path}?{name}={value}: {response.status_code} "
                                f"{response.text[:150]}")
    assert not problems, "\n".join(problems)
    for value in GOOD_TIMES:
        assert api.call("GET", "/runs", params={"created_after": value}).status_code == 200, value
        assert api.call("GET", "/runs", params={"created_before": value}).status_code == 200
        if value[-1] in "Zz" or "+" in value:  # a preview needs an offset
            response = api.call("GET", preview, params={"after": value})
            # a daily cron has no slot left after 9999-12-31T03:00Z, nor one before year 1
            edge = value.startswith(("9999", "0001"))
            assert response.status_code == (422 if edge else 200), (value, response.text)
            assert not edge or not error_shape_problem(response)


def test_created_after_filters_by_the_instant_once_converted_to_utc(api):
    runs = api.ok("GET", "/runs")["items"]
    created = runs[0]["created_at"]
    assert api.ok("GET", "/runs", params={"created_after": "9999-12-31T23:59:59Z"})["items"] == []
    assert len(api.ok("GET", "/runs", params={"created_before": "9999-12-31T23:59:59Z"})
               ["items"]) == len(runs), created


def test_openapi_declares_date_times_as_strings_in_date_time_format(api):
    document = api.ok("GET", "/openapi.json")
    operations = {("/runs", "created_after"), ("/runs", "created_before"),
                  ("/schedules/{schedule_id}/preview", "after")}
    for path, name in operations:
        params = {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}
        schema = params[name]["schema"]
        choices = schema.get("anyOf", [schema])
        strings = [c for c in choices if c.get("type") == "string"]
        assert strings and all(c.get("format") == "date-time" for c in strings), schema
        assert {c.get("type") for c in choices} <= {"string", "null"}, schema


def test_schedule_times_past_the_calendar_are_a_422_and_store_nothing(api):
    before = api.snapshot()
    cron = {"deployment_name": "dep", "mode": "cron", "cron_expression": "0 3 * * *"}
    for extra in ({"start_at": "9999-12-31T23:59:59Z"}, {"start_at": "9999-12-31T23:59:59-23:59"},
                  {"end_at": "0001-01-01T00:00:00+23:59"},
                  {"mode": "one_time", "cron_expression": None,
                   "start_at": "9999-12-31T23:59:59-23:59"}):
        response = api.call("POST", "/schedules", json={**cron, **extra})
        assert response.status_code == 422 and not error_shape_problem(response), response.text
        patched = api.call("PATCH", f"/schedules/{api.ids['schedule_id']}", json=extra)
        assert patched.status_code == 422, patched.text
    assert api.snapshot() == before
