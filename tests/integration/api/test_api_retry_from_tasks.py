"""`POST /runs/{id}/retry` with `{"from_tasks": [...]}`: 200 re-runs the named tasks and
their downstream; bad bodies are 422 in the error shape and write nothing; 409 where a
retry is not allowed."""

from __future__ import annotations

import pytest

CHAIN_FLOW = """\
from pathlib import Path
from dagy import flow, task

STATE = Path(r"{state_dir}")

def _count(name):
    with open(STATE / "calls", "a") as fh:
        fh.write(name + "\\n")

@task
def a() -> int:
    _count("a")
    return 2

@task
def b(x: int) -> int:
    _count("b")
    return x * 10

@task
def c(x: int) -> int:
    _count("c")
    return x + 1

@flow(name="{flow_name}", version="1.0.0")
def chain():
    return c(b(a()))
"""


@pytest.fixture
def chain(api, tmp_path):
    state = tmp_path / "chain-state"
    state.mkdir()
    api.deploy(CHAIN_FLOW, "chain", "chain-prod", "chain", state_dir=str(state))
    run = api.trigger("chain-prod")
    api.drain()
    assert api.get(f"/runs/{run['run_id']}").json()["status"] == "SUCCEEDED"
    return run["run_id"], state / "calls"


def _calls(path) -> list[str]:
    return path.read_text().split()


def test_from_tasks_reruns_b_and_c_of_a_succeeded_run(api, chain):
    run_id, calls = chain
    api.error(api.post(f"/runs/{run_id}/retry"), 409, "conflict")  # no body: not retryable
    response = api.post(f"/runs/{run_id}/retry", json={"from_tasks": ["b"]})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "QUEUED" and response.json()["result"] is None
    states = {t["task_id"]: t["status"]
              for t in api.get(f"/runs/{run_id}/task-runs").json()["items"]}
    assert states == {"a": "SUCCEEDED", "b": "PENDING", "c": "PENDING"}
    api.error(api.post(f"/runs/{run_id}/retry", json={"from_tasks": ["b"]}), 409, "conflict")
    api.drain()
    done = api.get(f"/runs/{run_id}").json()
    assert (done["status"], done["result"]) == ("SUCCEEDED", 21)
    assert _calls(calls) == ["a", "b", "c", "b", "c"]


@pytest.mark.parametrize("body, words", [
    ({"from_tasks": ["ghost"]}, "no task 'ghost'"),
    ({"from_tasks": ["b", "ghost"]}, "no task 'ghost'"),
    ({"from_tasks": []}, "from_tasks"),
    ({"from_tasks": [""]}, "from_tasks"),
    ({"from_tasks": "b"}, "from_tasks"),
    ({"from_tasks": [1]}, "from_tasks"),
    ({"from_tasks": ["b"], "extra": 1}, "extra"),
    ({}, "from_tasks"),
], ids=["unknown", "one-unknown", "empty", "blank", "string", "number", "extra", "missing"])
def test_bad_from_tasks_are_422_and_change_nothing(api, chain, body, words):
    run_id, calls = chain
    before = api.get(f"/runs/{run_id}").json()
    tasks = api.get(f"/runs/{run_id}/task-runs").json()["items"]
    outbox = api.pending_outbox()
    error = api.error(api.post(f"/runs/{run_id}/retry", json=body), 422)
    assert words in error["message"], error
    assert api.get(f"/runs/{run_id}").json() == before
    assert api.get(f"/runs/{run_id}/task-runs").json()["items"] == tasks
    assert api.pending_outbox() == outbox
    assert _calls(calls) == ["a", "b", "c"]


def test_a_malformed_body_is_422(api, chain):
    run_id, _ = chain
    response = api.post(f"/runs/{run_id}/retry", content=b"{not json",
                        headers={"Content-Type": "application/json"})
    api.error(response, 422)


def test_unknown_run_is_404_and_a_queued_run_409(api, chain):
    api.error(api.post("/runs/nope/retry", json={"from_tasks": ["b"]}), 404, "not_found")
    queued = api.trigger("chain-prod")
    api.error(api.post(f"/runs/{queued['run_id']}/retry", json={"from_tasks": ["b"]}),
              409, "conflict")


def test_the_openapi_document_shows_the_optional_body(api):
    operation = api.get("/openapi.json").json()["paths"]["/runs/{run_id}/retry"]["post"]
    body = operation["requestBody"]
    assert body.get("required") is not True
    assert "422" in operation["responses"]
