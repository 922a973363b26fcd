"""Every mutating endpoint refuses hostile JSON with a 4xx in the error shape and writes
nothing, on SQLite and PostgreSQL through the real SQL adapters.

The matrix (bad_input_matrix.py) injects deep nesting (100 / 500 / 5000 levels), NaN,
Infinity, numbers overflowing to infinity, lone surrogates in keys and values, repeated
keys, huge strings and integers, non-object bodies, wrong types and bad path parameters
into every POST / PUT / PATCH / DELETE route the app declares. Every table is compared
before and after each request. Before the fix, such requests answered 500 after
committing (a deployment, schedule or sensor that then broke its own list, a run that
executed with NaN read back as null).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bad_input_harness import SQL_BACKENDS, Seeded, changed_tables, seeded_api
from bad_input_matrix import (BASE_NOT_ACCEPTED, Attack, attacks, base_bodies,
                              missing_base_bodies)


@dataclass
class Outcome:
    attack: Attack
    status: int
    problem: str | None  # None: a 4xx in the error shape and nothing written


def error_shape_problem(response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return f"not JSON: {response.text[:200]!r}"
    error = body.get("error") if isinstance(body, dict) else None
    if set(body) != {"error"} or not isinstance(error, dict) \
            or set(error) != {"code", "message", "details"}:
        return f"not the error shape: {response.text[:200]}"
    if not isinstance(error["code"], str) or not isinstance(error["message"], str) \
            or not error["message"]:
        return f"error without code or message: {response.text[:200]}"
    return None


def run_matrix(api: Seeded) -> list[Outcome]:
    outcomes = []
    before = api.snapshot()
    for attack in attacks(api.app, api.ids, api.register_body):
        response = api.call(attack.method, attack.path, content=attack.content,
                            headers=dict(attack.headers))
        after = api.snapshot()
        problem = None
        if not 400 <= response.status_code < 500:
            problem = f"answered {response.status_code}: {response.text[:200]}"
        else:
            problem = error_shape_problem(response)
        writes = changed_tables(before, after)
        if writes:
            problem = (problem + "; " if problem else "") + "wrote " + ", ".join(writes)
            before = after
        outcomes.append(Outcome(attack, response.status_code, problem))
    return outcomes


@pytest.fixture(params=SQL_BACKENDS)
def api(request, tmp_path):
    with seeded_api(request.param, tmp_path) as seeded:
        yield seeded


# ~2,600 requests, each followed by a snapshot of every table: over a minute on PostgreSQL
@pytest.mark.timeout(360)
def test_every_mutating_endpoint_refuses_bad_input_and_writes_nothing(api):
    assert not missing_base_bodies(api.app, api.ids, api.register_body), \
        "a mutating endpoint reads a JSON body but has no valid base body in bad_input_matrix"
    outcomes = run_matrix(api)
    failures = [f"{o.attack.describe()}: {o.problem}" for o in outcomes if o.problem]
    server_errors = sum(o.status >= 500 for o in outcomes)
    print(f"\n{len(outcomes)} bad requests, {server_errors} answered 5xx, "
          f"{len(failures)} failed")
    assert len(outcomes) > 1000
    assert not failures, "\n".join(failures[:40])
    # the resources the attacks aimed at still render, alone and in their lists
    for path in ("/deployments", "/deployments/dep", "/schedules", "/sensors", "/runs",
                 f"/schedules/{api.ids['schedule_id']}", f"/sensors/{api.ids['sensor_id']}",
                 f"/runs/{api.ids['run_id']}/task-runs", "/flows"):
        assert api.call("GET", path).status_code == 200, path


def test_the_base_bodies_are_accepted(api):
    """The field injections mean something only if the body around them is valid."""
    for (method, template), body in base_bodies(api.ids, api.register_body).items():
        if (method, template) in BASE_NOT_ACCEPTED:
            continue
        path = template
        for name, value in api.ids.items():
            path = path.replace("{" + name + "}", value)
        response = api.call(method, path, json=body)
        assert response.status_code < 300, (method, template, response.text)
