"""Loading `path.py[:flow_name]` targets: import the file, find its flows, pick one.

The file's directory goes first on `sys.path` and the file is imported under its
stem as module name (like `python path.py` would see its siblings), so helper
modules next to it import normally and a build can package it by that name.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from dagy.flow import Flow
from dagy.domain.errors import DagyError
from dagy.domain.flowspec import FlowSpec

LOCAL_SUFFIXES = (".py", ".json")


class LoadError(DagyError):
    """A target file or flow cannot be found or imported."""


@dataclass(frozen=True)
class Target:
    """A parsed command-line target: a file and, optionally, the flow to pick in it."""

    raw: str
    path: Path
    flow_name: str | None = None

    @property
    def is_spec_file(self) -> bool:
        return self.path.suffix.lower() == ".json"


def parse_target(text: str) -> Target:
    """`flows.py:etl` -> (flows.py, "etl"); `flows.py` -> (flows.py, None).

    Splits at the last `:` unless what follows looks like a path (a Windows drive)."""
    path_part, name = text, None
    left, sep, right = text.rpartition(":")
    if sep and left and not any(c in right for c in "/\\"):
        path_part, name = left, right.strip() or None
    return Target(text, Path(path_part).expanduser(), name)


def is_local_target(text: str) -> bool:
    """A file target (`x.py`, `x.py:flow`, `spec.json`, an existing file) rather than the
    name of a deployment on the control plane."""
    if ":" in text or text.lower().endswith(LOCAL_SUFFIXES):
        return True
    return Path(text).expanduser().is_file()


def check_file(target: Target, suffixes: tuple[str, ...] = LOCAL_SUFFIXES) -> Path:
    path = target.path
    shown = str(target.path)
    if not path.exists():
        raise LoadError(f"file not found: {shown}{_suffix_hint(target, suffixes)}")
    if not path.is_file():
        raise LoadError(f"{shown} is not a file")
    if path.suffix.lower() not in suffixes:
        wanted = " or ".join(suffixes)
        raise LoadError(f"{shown} is not a {wanted} file")
    return path.resolve()


def _suffix_hint(target: Target, suffixes: tuple[str, ...]) -> str:
    """`my_flows:etl` names a module the way Python imports do, but a target is a file:
    point at `my_flows.py:etl` when that file is there."""
    for suffix in suffixes:
        candidate = target.path.with_name(target.path.name + suffix)
        if target.path.name and candidate.is_file():
            flow = f":{target.flow_name}" if target.flow_name else ""
            return f"; did you mean {target.path}{suffix}{flow}?"
    return ""


def import_file(path: Path, shown: str | None = None) -> ModuleType:
    """Import a Python file by path under its stem; errors name the file and the line."""
    shown = shown or str(path)
    path = path.resolve()
    name = path.stem
    existing = sys.modules.get(name)
    if existing is not None:
        existing_file = getattr(existing, "__file__", None)
        if existing_file and Path(existing_file).resolve() == path:
            return existing
        if not getattr(existing, "__dagy_cli_loaded__", False):
            raise LoadError(
                f"cannot import {shown} as module {name!r}: that name is already taken by "
                f"{existing_file or 'a built-in module'}; rename the file")
    directory = str(path.parent)
    if not sys.path or sys.path[0] != directory:
        sys.path.insert(0, directory)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise LoadError(f"cannot import {shown}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    module.__dict__["__dagy_cli_loaded__"] = True
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as exc:
        sys.modules.pop(name, None)
        raise LoadError(f"could not import {shown}: {_describe(exc, path)}") from exc
    return module


def _describe(exc: BaseException, path: Path) -> str:
    """`NameError: name 'x' is not defined (line 12)`: the line is the last one in the
    user's file that the traceback went through."""
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f"SyntaxError: {exc.msg} (line {exc.lineno})"
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        try:
            if Path(frame.filename).resolve() == path:
                line = frame.lineno
        except (OSError, ValueError):
            continue
    where = f" (line {line})" if line else ""
    return f"{type(exc).__name__}: {exc}{where}"


def module_flows(module: ModuleType) -> dict[str, Flow]:
    """Module-level Flow objects by variable name, each flow once (public names first)."""
    found: dict[int, tuple[str, Flow]] = {}
    for attr, value in vars(module).items():
        if isinstance(value, Flow):
            current = found.get(id(value))
            if current is None or (current[0].startswith("_") and not attr.startswith("_")):
                found[id(value)] = (attr, value)
    return {attr: flow for attr, flow in found.values()}


def select_flows(module: ModuleType, name: str | None, shown: str) -> list[Flow]:
    """The flow named `name` (variable name or flow name), or every flow of the file.

    Without a name, flows imported from other modules are left out when the file
    defines flows of its own."""
    flows = module_flows(module)
    if not flows:
        raise LoadError(f"no flows found in {shown}; decorate a function with @flow")
    if name is not None:
        if name in flows:
            return [flows[name]]
        by_flow_name = [f for f in flows.values() if f.name == name]
        if by_flow_name:
            return by_flow_name[:1]
        raise LoadError(f"no flow named {name!r} in {shown}; "
                        f"flows: {', '.join(_names(flows.values()))}")
    own = [f for f in flows.values()
           if getattr(f.fn, "__module__", None) == module.__name__]
    return own or list(flows.values())


def select_one(module: ModuleType, name: str | None, shown: str) -> Flow:
    flows = select_flows(module, name, shown)
    if len(flows) > 1:
        raise LoadError(f"{shown} defines several flows ({', '.join(_names(flows))}); "
                        f"pick one with {shown}:<name>")
    return flows[0]


def _names(flows) -> list[str]:
    return sorted({f.name for f in flows})


def load_flows(target: Target) -> list[Flow]:
    """Every selected flow of a `.py` target."""
    path = check_file(target, (".py",))
    module = import_file(path, str(target.path))
    return select_flows(module, target.flow_name, str(target.path))


def load_flow(target: Target) -> Flow:
    """The one flow a `.py` target designates."""
    path = check_file(target, (".py",))
    module = import_file(path, str(target.path))
    return select_one(module, target.flow_name, str(target.path))


def load_spec(target: Target) -> FlowSpec:
    """The FlowSpec of a target: read from a `.json` spec file, or traced from a flow."""
    path = check_file(target)
    if not target.is_spec_file:
        return load_flow(target).spec
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError(f"cannot read {target.path}: {exc}") from None
    try:
        spec = FlowSpec.from_json(text)
    except (DagyError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise LoadError(f"invalid FlowSpec in {target.path}: {exc}") from None
    if target.flow_name is not None and target.flow_name != spec.name:
        raise LoadError(f"{target.path} holds flow {spec.name!r}, not {target.flow_name!r}")
    return spec
