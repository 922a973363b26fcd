"""`$DAGY_HOME/profiles.toml`: where the SDK and the command line find a control plane.

Each table is a profile (`[local]` is the default one) with `api_url` and `api_key`.
This module is the file's one reader and writer: DagyClient reads it (through
dagy.settings.resolve_connection), `dagy server` writes its `[local]` profile through
dagy.entrypoints.profiles, which supplies the private-file writer.

Reading uses the standard library's tomllib. Writing needs no TOML library either:
the file is edited as text (only the lines of the keys being set change, so comments
and the other tables stay as they were) and the result is parsed back to check it.
If the file's layout is too unusual to edit that way, it is rewritten from its parsed
content. The file holds the admin API key: the caller's `write` must replace it
atomically, mode 0600 from its first byte (dagy.entrypoints.state_dir.write_private).
"""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Callable

from dagy.domain.errors import ConfigurationError

PROFILES_FILENAME = "profiles.toml"
DEFAULT_PROFILE = "local"
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_HEADER = re.compile(r"^\s*\[(?!\[)\s*(?P<name>[^\]]+?)\s*\]\s*(#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")


def profiles_path(home: str | os.PathLike[str]) -> Path:
    return Path(home) / PROFILES_FILENAME


def read_profiles(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Every table of the file; {} if it does not exist."""
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{path} is not valid TOML: {exc}") from None


def read_profile(path: str | os.PathLike[str], name: str = DEFAULT_PROFILE) -> dict[str, Any]:
    """Table `name`, or {} if the file or the table is missing (or it is not a table)."""
    table = read_profiles(path).get(name)
    return table if isinstance(table, dict) else {}


def load_profile(path: str | os.PathLike[str], name: str, explicit: bool) -> dict[str, Any]:
    """Table `name` for a client. A profile asked for by name (`explicit`) must exist;
    the default one may be missing (then {})."""
    path = Path(path)
    if not path.is_file():
        if explicit:
            raise ConfigurationError(f"profile {name!r} requested but {path} does not exist")
        return {}
    data = read_profiles(path)
    table = data.get(name)
    if table is None:
        if explicit:
            known = ", ".join(sorted(data)) or "none"
            raise ConfigurationError(f"profile {name!r} not found in {path} (profiles: {known})")
        return {}
    if not isinstance(table, dict):
        raise ConfigurationError(f"profile {name!r} in {path} must be a table, e.g. [{name}]")
    return table


def write_profile(path: str | os.PathLike[str], name: str, values: dict[str, Any], *,
                  write: Callable[[Path, str], None]) -> bool:
    """Set `values` in table `name`, keeping every other key and table; `write(path,
    text)` stores the result. False if nothing changed (the file is then not touched)."""
    path = Path(path)
    data = read_profiles(path)
    current = data.get(name)
    if current is not None and not isinstance(current, dict):
        raise ConfigurationError(f"{path}: {name!r} is not a table; cannot store a profile in it")
    if current is not None and all(current.get(k) == v for k, v in values.items()):
        return False
    wanted = {**data, name: {**(current or {}), **values}}
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    edited = _edit_text(text, name, values)
    if edited is None or _parses_to(edited) != wanted:
        edited = dumps(wanted)
    write(path, edited)
    return True


def _parses_to(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _edit_text(text: str, name: str, values: dict[str, Any]) -> str | None:
    """Replace or add `key = value` lines inside `[name]`; append the table if absent."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if (m := _HEADER.match(line))
              and _unquote(m["name"]) == name]
    if len(starts) > 1:
        return None
    if not starts:
        block = [f"[{_key(name)}]"] + [f"{_key(k)} = {_value(v)}" for k, v in values.items()]
        sep = [""] if lines and lines[-1].strip() else []
        return "\n".join(lines + sep + block) + "\n"
    start = starts[0]
    end = next((i for i in range(start + 1, len(lines)) if _ANY_HEADER.match(lines[i])),
               len(lines))
    for key, value in values.items():
        pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
        found = [i for i in range(start + 1, end) if pattern.match(lines[i])]
        line = f"{_key(key)} = {_value(value)}"
        if len(found) > 1:
            return None
        if found:
            lines[found[0]] = line
        else:
            lines.insert(_after_content(lines, start, end), line)
            end += 1
    return "\n".join(lines) + "\n"


def _after_content(lines: list[str], start: int, end: int) -> int:
    """Index just after the last non-blank line of a table (before trailing blank lines)."""
    i = end
    while i - 1 > start and not lines[i - 1].strip():
        i -= 1
    return i


def _unquote(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
        return name[1:-1]
    return name


def dumps(data: dict[str, Any]) -> str:
    """TOML for nested dicts of str/int/float/bool/date/time and lists of those."""
    out: list[str] = []
    _dump_table(data, [], out)
    return "\n".join(out).lstrip("\n") + "\n"


def _dump_table(table: dict[str, Any], prefix: list[str], out: list[str]) -> None:
    scalars = {k: v for k, v in table.items() if not isinstance(v, dict)}
    tables = {k: v for k, v in table.items() if isinstance(v, dict)}
    if prefix and (scalars or not tables):
        out.append("")
        out.append("[" + ".".join(_key(p) for p in prefix) + "]")
    for key, value in scalars.items():
        out.append(f"{_key(key)} = {_value(value)}")
    for key, value in tables.items():
        _dump_table(value, prefix + [key], out)


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a valid TOML basic string


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise ConfigurationError(f"cannot write {type(value).__name__} values to a profile")
