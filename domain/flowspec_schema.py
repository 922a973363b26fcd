"""Shape check of a FlowSpec JSON document, so malformed input gives one SpecError.

FlowSpec documents arrive from users and from the API; every wrong shape must be
reported as what it is, never surface as a TypeError deep inside construction.
"""

from __future__ import annotations

from typing import Any

from dagy.domain.errors import SpecError

_OPTIONAL_STR = (str, type(None))
_NUMBER = (int, float)


def _fail(where: str, expected: str, value: Any) -> SpecError:
    return SpecError(f"FlowSpec {where} must be {expected}, got {value!r}"[:300])


def _str_list(value: Any, where: str) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(where, "a list of strings", value)


def _check_task(task: Any, index: int) -> None:
    where = f"tasks[{index}]"
    if not isinstance(task, dict):
        raise _fail(where, "an object", task)
    if not isinstance(task.get("id"), str) or not task["id"]:
        raise _fail(f"{where}.id", "a non-empty string", task.get("id"))
    for key in ("name", "function", "executor", "runtime_tier", "description"):
        if key in task and not isinstance(task[key], _OPTIONAL_STR if key != "name" else str):
            raise _fail(f"{where}.{key}", "a string", task[key])
    for key in ("upstream", "tags"):
        if key in task:
            _str_list(task[key], f"{where}.{key}")
    if "inputs" in task and not isinstance(task["inputs"], dict):
        raise _fail(f"{where}.inputs", "an object", task["inputs"])
    if "retries" in task and (not isinstance(task["retries"], int) or isinstance(task["retries"], bool)):
        raise _fail(f"{where}.retries", "an integer", task["retries"])
    for key in ("timeout_seconds", "retry_jitter_factor", "memory_mb"):
        value = task.get(key)
        if value is not None and (not isinstance(value, _NUMBER) or isinstance(value, bool)):
            raise _fail(f"{where}.{key}", "a number or null", value)
    delay = task.get("retry_delay_seconds", 0)
    if not (delay is None or isinstance(delay, (int, float, dict)) or (
            isinstance(delay, list) and all(isinstance(d, _NUMBER) for d in delay))):
        raise _fail(f"{where}.retry_delay_seconds", "a number, a list of numbers or null", delay)


def _check_parameter(param: Any, index: int) -> None:
    where = f"parameters[{index}]"
    if not isinstance(param, dict):
        raise _fail(where, "an object", param)
    if not isinstance(param.get("name"), str) or not param["name"]:
        raise _fail(f"{where}.name", "a non-empty string", param.get("name"))
    if "type" in param and not isinstance(param["type"], str):
        raise _fail(f"{where}.type", "a string", param["type"])
    for key in ("required", "nullable"):
        if key in param and not isinstance(param[key], bool):
            raise _fail(f"{where}.{key}", "true or false", param[key])


def check_document(data: Any) -> None:
    """Raise SpecError naming the first field whose shape is wrong."""
    if not isinstance(data, dict):
        raise SpecError("a FlowSpec must be a JSON object")
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise SpecError("a FlowSpec needs a non-empty string 'name'")
    for key in ("version", "description", "namespace", "default_executor", "runtime_tier"):
        if key in data and not isinstance(data[key], _OPTIONAL_STR):
            raise _fail(key, "a string", data[key])
    if "tags" in data and not isinstance(data["tags"], (dict, type(None))):
        raise _fail("tags", "an object", data["tags"])
    for key, check in (("tasks", _check_task), ("parameters", _check_parameter)):
        items = data.get(key, [])
        if not isinstance(items, list):
            raise _fail(key, "a list", items)
        for index, item in enumerate(items):
            check(item, index)
    edges = data.get("edges", [])
    if not isinstance(edges, list):
        raise _fail("edges", "a list", edges)
    for index, edge in enumerate(edges):
        if not (isinstance(edge, list) and len(edge) == 2 and all(isinstance(e, str) for e in edge)):
            raise _fail(f"edges[{index}]", "a [source, target] pair of task ids", edge)
    if "outputs" in data:
        _str_list(data["outputs"], "outputs")
