"""Placeholders inside task inputs: a task's output, or a flow parameter.

Input templates are plain Python containers (list, tuple, dict, set) whose leaves
may be `Ref` or `ParamRef`; the runner swaps them for values when a task starts.
"""

from __future__ import annotations

from typing import Any


class Ref:
    """The output of task `task_id`, optionally indexed by `path` (keys / indexes)."""

    __slots__ = ("task_id", "path")

    def __init__(self, task_id: str, path: tuple = ()) -> None:
        self.task_id = task_id
        self.path = path

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and (self.task_id, self.path) == (other.task_id, other.path)

    def __hash__(self) -> int:
        return hash((Ref, self.task_id, self.path))

    def __repr__(self) -> str:
        return f"Ref({self.task_id!r}{', ' + repr(self.path) if self.path else ''})"


class ParamRef:
    """The value of flow parameter `name` for the run."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ParamRef) and self.name == other.name

    def __hash__(self) -> int:
        return hash((ParamRef, self.name))

    def __repr__(self) -> str:
        return f"ParamRef({self.name!r})"


_SCALARS = (str, int, float, bool, type(None))
_INFINITIES = (float("inf"), float("-inf"))


def collect_refs(template: Any, task_ids: list[str], params: list[str]) -> bool:
    """Append every referenced task id and parameter name; True if any was found."""
    if isinstance(template, _SCALARS):
        return False
    if isinstance(template, Ref):
        task_ids.append(template.task_id)
        return True
    if isinstance(template, ParamRef):
        params.append(template.name)
        return True
    found = False
    if isinstance(template, dict):
        for value in template.values():
            found = collect_refs(value, task_ids, params) or found
    elif isinstance(template, (list, tuple, set, frozenset)):
        for value in template:
            found = collect_refs(value, task_ids, params) or found
    return found


def encode_template(template: Any) -> Any:
    """JSON form of a template: refs become `{"$ref"}` / `{"$param"}` objects.

    Values JSON cannot hold are described as `{"$repr": ...}`: the spec documents
    them, the in-process plan keeps the real object.
    """
    if isinstance(template, _SCALARS):
        if isinstance(template, float) and (template != template or template in _INFINITIES):
            return {"$repr": repr(template)}  # strict JSON has no NaN or Infinity
        return template
    if isinstance(template, Ref):
        out: dict[str, Any] = {"$ref": template.task_id}
        if template.path:
            out["path"] = list(template.path)
        return out
    if isinstance(template, ParamRef):
        return {"$param": template.name}
    if isinstance(template, (list, tuple)):
        return [encode_template(v) for v in template]
    if isinstance(template, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in template):
            return {k: encode_template(v) for k, v in template.items()}
        return {"$items": [[encode_template(k), encode_template(v)] for k, v in template.items()]}
    if isinstance(template, (set, frozenset)):
        return {"$set": sorted((encode_template(v) for v in template), key=repr)}
    return {"$repr": repr(template)}


def decode_template(data: Any) -> Any:
    """Inverse of `encode_template` for everything JSON can carry."""
    if isinstance(data, list):
        return [decode_template(v) for v in data]
    if isinstance(data, dict):
        if "$ref" in data:
            return Ref(data["$ref"], tuple(data.get("path", ())))
        if "$param" in data:
            return ParamRef(data["$param"])
        if "$items" in data:
            return {_hashable(decode_template(k)): decode_template(v) for k, v in data["$items"]}
        if "$set" in data:
            return {_hashable(decode_template(v)) for v in data["$set"]}
        if "$repr" in data:
            return data
        return {k: decode_template(v) for k, v in data.items()}
    return data


def _hashable(value: Any) -> Any:
    """Dict keys and set members come back hashable: lists as tuples, sets as frozensets."""
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, set):
        return frozenset(value)
    return value


def template_task_ids(data: Any) -> list[str]:
    """Every task id a JSON-form template names with `{"$ref": id}` (iterative walk, so a
    deep document cannot exhaust the stack)."""
    found: list[str] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "$ref" in node:
                found.append(str(node["$ref"]))
            stack.extend(v for k, v in node.items() if k != "$ref")
    return found
