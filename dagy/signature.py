"""Flow parameters from a function signature: names, JSON types, defaults."""

from __future__ import annotations

import inspect
import json
import types
import typing
from typing import Any, Callable

from dagy.domain.errors import TracingError
from dagy.domain.flowspec import ParameterSpec

_TYPE_NAMES = {str: "string", int: "integer", float: "number", bool: "boolean",
               list: "array", tuple: "array", dict: "object"}
_STRING_NAMES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean",
                 "list": "array", "tuple": "array", "dict": "object"}


def json_type(annotation: Any) -> tuple[str, bool]:
    """(JSON type name, nullable) of an annotation; "any" when it cannot be said."""
    if annotation is inspect.Parameter.empty or annotation is Any:
        return "any", False
    if isinstance(annotation, str):
        text = annotation.replace(" ", "")
        nullable = text.endswith("|None") or text.startswith("Optional[")
        base = text.removesuffix("|None").removeprefix("Optional[").removesuffix("]")
        return _STRING_NAMES.get(base.split("[")[0], "any"), nullable
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        nullable = len(members) < len(typing.get_args(annotation))
        if len(members) == 1:
            return json_type(members[0])[0], nullable
        return "any", nullable
    return _TYPE_NAMES.get(origin or annotation, "any"), False


def _json_default(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return {"$repr": repr(value)}


def flow_parameters(fn: Callable[..., Any]) -> tuple[list[ParameterSpec], dict[str, Any]]:
    """Parameter specs plus the real Python defaults (which JSON may not hold)."""
    try:
        hints = typing.get_type_hints(fn)
    except Exception:  # unresolvable forward references: fall back to raw annotations
        hints = {}
    specs: list[ParameterSpec] = []
    defaults: dict[str, Any] = {}
    for param in inspect.signature(fn).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise TracingError(
                f"flow {fn.__name__!r} takes *args/**kwargs; flows take named parameters only")
        type_name, nullable = json_type(hints.get(param.name, param.annotation))
        required = param.default is inspect.Parameter.empty
        if not required:
            defaults[param.name] = param.default
            nullable = nullable or param.default is None
        specs.append(ParameterSpec(param.name, type_name, required,
                                   None if required else _json_default(param.default), nullable))
    return specs, defaults
