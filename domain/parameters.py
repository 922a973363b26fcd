"""Binding run parameters to a flow's declared parameters, with clear errors."""

from __future__ import annotations

from typing import Any, Iterable

from dagy.domain.errors import ParameterError
from dagy.domain.flowspec import ParameterSpec

JSON_TYPES = ("string", "integer", "number", "boolean", "array", "object", "any")


def type_matches(expected: str, value: Any) -> bool:
    if expected == "any":
        return True
    if expected == "string":
        return isinstance(value, str)
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected == "array":
        return isinstance(value, (list, tuple))
    if expected == "object":
        return isinstance(value, dict)
    return True


def bind_parameters(
    declared: Iterable[ParameterSpec], given: dict[str, Any], defaults: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the full parameter dict for a run, or raise ParameterError listing every problem.

    `defaults` may carry the real Python defaults where the spec only holds a description.
    """
    declared = list(declared)
    problems: list[str] = []
    known = {p.name for p in declared}
    for name in given:
        if name not in known:
            problems.append(f"unknown parameter {name!r}")
    bound: dict[str, Any] = {}
    for param in declared:
        if param.name in given:
            value = given[param.name]
            if value is None and param.nullable:
                bound[param.name] = value
            elif not type_matches(param.type, value):
                problems.append(
                    f"parameter {param.name!r} must be {param.type}, got {type(value).__name__}")
            else:
                bound[param.name] = value
        elif param.required:
            problems.append(f"missing required parameter {param.name!r}")
        else:
            bound[param.name] = (defaults or {}).get(param.name, param.default)
    if problems:
        raise ParameterError("; ".join(problems), problems)
    return bound
