"""Arbitrary JSON with one bad part inserted, sent to the endpoints that store client
JSON, never answers 5xx and never writes a row (SQLite and PostgreSQL, real adapters)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bad_input_harness import SQL_BACKENDS, changed_tables, seeded_api
from test_bad_input_matrix import error_shape_problem
from test_bad_input_rules import BAD_PARTS, SLOT, documents_with_a_slot


def targets(ids: dict[str, str]) -> dict[str, tuple[str, str, object]]:
    """name: (method, path, body with SLOT where the generated document goes)."""
    return {
        "run parameters": ("POST", "/runs", {"deployment_name": "dep",
                                             "parameters": {"y": SLOT}}),
        "deployment parameters": ("PATCH", "/deployments/dep", {"parameters": {"y": SLOT}}),
        "schedule parameters": ("PATCH", f"/schedules/{ids['schedule_id']}",
                                {"parameters": {"y": SLOT}}),
        "sensor flow_params": ("PATCH", f"/sensors/{ids['sensor_id']}",
                               {"flow_params": {"y": SLOT}}),
        "new sensor flow_params": ("POST", "/sensors", {
            "name": "fuzzed", "sensor_type": "webhook", "deployment_name": "dep",
            "flow_params": {"y": SLOT}}),
        "webhook payload": ("POST", f"/hooks/{ids['token']}", {"a": SLOT}),
    }


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_arbitrary_json_with_a_bad_part_never_gives_a_500_or_a_write(backend, tmp_path):
    with seeded_api(backend, tmp_path) as api:
        routes = targets(api.ids)
        before = api.snapshot()

        @settings(max_examples=120, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(st.sampled_from(sorted(routes)), documents_with_a_slot(),
               st.sampled_from(sorted(BAD_PARTS)), st.booleans())
        def attack(target, document, bad, typed):
            method, path, body = routes[target]
            inner = json.dumps(document).replace(json.dumps(SLOT), BAD_PARTS[bad], 1)
            raw = json.dumps(body).replace(json.dumps(SLOT), inner, 1)
            headers = {"Content-Type": "application/json"} if typed else {}
            response = api.call(method, path, content=raw.encode("utf-8", "surrogatepass"),
                                headers=headers)
            assert 400 <= response.status_code < 500, (target, bad, response.text[:300])
            assert not error_shape_problem(response), response.text[:300]
            assert not changed_tables(before, api.snapshot()), (target, bad, typed)

        attack()
