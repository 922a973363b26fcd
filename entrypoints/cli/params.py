"""Run parameters from the command line: `--param key=value` and `--params-json '{...}'`.

A value is parsed as JSON when it parses (`n=3` -> 3, `flag=true` -> True,
`xs=[1,2]` -> [1, 2]) and kept as the raw string otherwise (`url=https://x`).
For a parameter the flow declares as a string, the raw text is always kept, so
`--param zip=02134` or `--param name=123` stay strings.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from dagy.domain.errors import DagyError


class ParamSyntaxError(DagyError):
    """A `--param` or `--params-json` value cannot be understood."""


def parse_value(text: str) -> Any:
    """JSON when `text` is valid JSON, else the text itself; "" stays ""."""
    if text == "":
        return ""
    try:
        return json.loads(text)
    except ValueError:
        return text


def split_param(item: str) -> tuple[str, str]:
    """`"key=value"` -> `("key", "value")`; the value may itself contain `=`."""
    key, sep, raw = item.partition("=")
    key = key.strip()
    if not sep:
        raise ParamSyntaxError(f"--param {item!r} must look like key=value")
    if not key:
        raise ParamSyntaxError(f"--param {item!r} has an empty key; use key=value")
    return key, raw


def parse_params_json(text: str | None) -> dict[str, Any]:
    """The object given with `--params-json`, or {} when not given."""
    if text is None or not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ParamSyntaxError(f"--params-json is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ParamSyntaxError(
            f"--params-json must be a JSON object, got {type(data).__name__}")
    return data


def parse_params(items: Iterable[str] | None, params_json: str | None = None,
                 declared_types: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Merge `--params-json` with `--param` items (the items win; a repeated key keeps
    the last value). `declared_types` maps parameter names to their JSON type names."""
    params = parse_params_json(params_json)
    types = declared_types or {}
    for item in items or ():
        key, raw = split_param(item)
        params[key] = raw if types.get(key) == "string" else parse_value(raw)
    return params
