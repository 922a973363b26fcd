"""What a storable JSON value is: the one rule every write of client or flow data obeys.

A value is stored only if it can be rendered back exactly: plain JSON types (objects with
string keys, arrays, strings, finite numbers, booleans, null), no deeper than MAX_DEPTH,
no surrogate code points in any string or key (they cannot be encoded as UTF-8, so a
response holding one fails to render), and no integer too long to print. Anything else
is refused before the write, so a stored row can always be read back and listed.

`parse_json` reads JSON text under the same rule, and strictly: Python's json module
accepts NaN and Infinity, turns 1e999999 into infinity and lets a repeated key win
silently. The API parses every JSON request body with it (entrypoints/api/strict_json.py)
and so does the webhook receiver; use cases check values again before writing, because
they also arrive by other paths (scheduler ticks, poll payloads mapped into run
parameters, task results).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from dagy.domain.errors import ValidationError

MAX_DEPTH = 64
"""Containers nested deeper than this are refused (an object or array is one level)."""

MAX_INT_BITS = 13_000
"""About 3,900 decimal digits: below the interpreter's 4,300-digit int/str limit."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_PATH_SHOWN = 12  # path steps shown in a message; the rest is elided


class UnstorableValue(ValidationError):
    """A value that would not survive being stored and rendered as JSON (HTTP 422)."""

    def __init__(self, message: str, problem: str, path: str) -> None:
        super().__init__(message)
        self.problem, self.path = problem, path


def storable_problem(value: Any, max_depth: int = MAX_DEPTH) -> tuple[str, str] | None:
    """(what is wrong, where as a JSONPath such as `$.a[0]`) for the first problem found,
    or None when `value` is storable. Iterative, so any nesting is inspected safely."""
    stack: list[tuple[Any, int, Any]] = [(value, 0, None)]  # (value, depth, path node)
    while stack:
        item, depth, node = stack.pop()
        kind = type(item)
        if item is None or kind is bool:
            continue
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return _surrogate(item), _path(node)
        elif isinstance(item, int):
            if item.bit_length() > MAX_INT_BITS:
                return f"an integer of more than {MAX_INT_BITS} bits", _path(node)
        elif isinstance(item, float):
            if not math.isfinite(item):
                return _non_finite(item), _path(node)
        elif isinstance(item, dict):
            if depth >= max_depth:
                return f"nesting deeper than {max_depth} levels", _path(node)
            for key, child in item.items():
                if not isinstance(key, str):
                    return f"a non-string key {_short(key)}", _path(node)
                if _SURROGATE.search(key):
                    return f"a key with {_surrogate(key)}", _path(node)
                stack.append((child, depth + 1, (node, key)))
        elif isinstance(item, list):
            if depth >= max_depth:
                return f"nesting deeper than {max_depth} levels", _path(node)
            stack.extend((child, depth + 1, (node, index)) for index, child in enumerate(item))
        else:
            return f"a {kind.__name__}, which is not a JSON value", _path(node)
    return None


class InvalidJson(ValidationError):
    """Text that is not strict JSON (HTTP 422); the message says what and where."""


class _Refused(ValueError):
    pass


def parse_json(data: bytes | str, name: str = "body", max_depth: int = MAX_DEPTH) -> Any:
    """The storable JSON value in `data` (UTF-8 bytes or text), or InvalidJson.
    Strict: finite numbers only, unique keys, no lone surrogates, at most `max_depth`
    levels of nesting."""
    try:
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
    except UnicodeDecodeError as exc:
        raise InvalidJson(f"{name} is not UTF-8 text (invalid byte at offset {exc.start})") \
            from None
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_finite,
                           object_pairs_hook=_unique_keys)
    except RecursionError:
        raise InvalidJson(f"{name} nests deeper than {max_depth} levels") from None
    except _Refused as exc:
        raise InvalidJson(f"{name} {exc}") from None
    except ValueError as exc:  # JSONDecodeError, or an integer past the digit limit
        raise InvalidJson(f"{name} is not valid JSON: {exc}") from None
    found = storable_problem(value, max_depth)
    if found is not None:
        problem, path = found
        if problem.startswith("nesting deeper"):
            raise InvalidJson(f"{name} nests deeper than {max_depth} levels at {path}")
        raise InvalidJson(f"{name} has {problem} at {path}")
    return value


def _constant(literal: str) -> Any:
    raise _Refused(f"has {literal}, which is not JSON (numbers must be finite)")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _Refused(f"has the number {text[:40]}, which is too large to store "
                       "(numbers must be finite)")
    return number


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"repeats the key {_short(key)} in one object")
            seen.add(key)
    return result


def is_storable(value: Any) -> bool:
    return storable_problem(value) is None


def check_storable(value: Any, name: str) -> Any:
    """`value` unchanged if storable, else UnstorableValue naming `name` and the place."""
    found = storable_problem(value)
    if found is not None:
        problem, path = found
        where = name + path[1:] if path != "$" else name
        raise UnstorableValue(f"{name} cannot be stored: {problem} at {where}", problem, where)
    return value


def _path(node: Any) -> str:
    steps: list[Any] = []
    while node is not None:
        node, step = node
        steps.append(step)
    steps.reverse()
    shown = steps if len(steps) <= _PATH_SHOWN else steps[:_PATH_SHOWN]
    text = "$" + "".join(f"[{s}]" if isinstance(s, int) else _key(s) for s in shown)
    return text + ("..." if len(shown) < len(steps) else "")


def _key(key: str) -> str:
    if key.isidentifier() and len(key) <= 40:
        return "." + key
    return "[" + _short(key) + "]"


def _short(value: Any) -> str:
    text = ascii(value)  # escapes surrogates, so the message itself renders
    return text if len(text) <= 42 else text[:40] + "..."


def _surrogate(text: str) -> str:
    code = ord(_SURROGATE.search(text).group())  # type: ignore[union-attr]
    return f"a lone surrogate (\\u{code:04x}), which is not Unicode text"


def _non_finite(number: float) -> str:
    name = "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")
    return f"a non-finite number ({name}; JSON numbers must be finite)"


UNSERIALIZABLE = "unserializable"
"""The `output_ref` marker of a result that was not stored because it is not storable JSON."""


def stored_result(value: Any) -> tuple[Any, str | None]:
    """What is stored of a task's or a flow's result: `(plain JSON copy, None)`, or
    `(None, UNSERIALIZABLE)` when the value is not storable JSON (see `storable_problem`).

    The one rule for results, on every path (the run recorder, every repository): tuples
    become lists, since JSON has none and a flow returning `(1, 2)` means a pair; anything
    else that is not storable JSON (an object, a set, NaN, a non-string key) is not
    stored, never replaced by its repr, so a stored result is always the value itself.
    The copy shares nothing with `value`, so later changes to a live object do not leak.
    """
    if value is None:
        return None, None
    plain = _lists_for_tuples(value, 0)
    if storable_problem(plain) is not None:
        return None, UNSERIALIZABLE
    try:
        copy = json.loads(json.dumps(plain, allow_nan=False))
    except (TypeError, ValueError, RecursionError):
        return None, UNSERIALIZABLE
    # a str, int or float subclass may render as something else than it compares equal to
    return (copy, None) if copy == plain else (None, UNSERIALIZABLE)


def _lists_for_tuples(value: Any, depth: int) -> Any:
    """`value` with every tuple (at any depth up to MAX_DEPTH) turned into a list; deeper
    parts are left as they are, since storable_problem refuses them anyway."""
    if depth > MAX_DEPTH:
        return value
    if isinstance(value, (list, tuple)):
        return [_lists_for_tuples(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {key: _lists_for_tuples(item, depth + 1) for key, item in value.items()}
    return value
