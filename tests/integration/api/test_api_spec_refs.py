"""A FlowSpec whose task input names a task that does not exist is refused at
registration (422, the error shape), and nothing is registered."""

from __future__ import annotations

from dagy.domain.errors import DanglingReferenceError
from dagy.domain.flowspec import FlowSpec

import pytest


def _ghost_spec(spec: dict) -> dict:
    tasks = spec["tasks"]
    tasks[-1]["inputs"] = {"args": [{"$ref": "ghost"}], "kwargs": {}}
    return spec


def test_input_ref_to_unknown_task_is_a_spec_error():
    spec = {"name": "f", "version": "1", "tasks": [
        {"id": "a", "name": "a", "inputs": {"args": [], "kwargs": {"x": [{"$ref": "ghost"}]}}}]}
    with pytest.raises(DanglingReferenceError, match="ghost"):
        FlowSpec.from_dict(spec)
    spec["tasks"][0]["inputs"]["kwargs"]["x"] = [{"$ref": "a", "path": [0]}, {"$param": "n"}]
    spec["tasks"].insert(0, {"id": "b", "name": "b"})
    spec["tasks"][1]["inputs"]["kwargs"]["x"][0]["$ref"] = "b"
    spec["tasks"][1]["upstream"] = ["b"]
    FlowSpec.from_dict(spec)  # a known task is fine


def test_registering_a_spec_with_a_ghost_input_answers_422(api):
    flow_obj = api.load_flow(api.NUMBERS_FLOW.format(flow_name="numbers", version="1.0.0"),
                             "numbers")
    artifact, uri = api.upload(flow_obj)
    body = api.register_body(flow_obj, artifact, uri)
    body["flow_spec"] = _ghost_spec(body["flow_spec"])
    error = api.error(api.post("/flows", json=body), 422)
    assert "ghost" in error["message"]
    assert api.get("/flows/numbers").status_code == 404
