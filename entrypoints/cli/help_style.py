"""Readable help: argument and option types shown as click shows them (TEXT, INTEGER,
a|b) or by their metavar, never typer's `<bool>`, `<list[str]>` or `{TARGET}` labels.

Typer renders a parameter's Python annotation as its type label and wraps a required
argument in braces on the usage line; for a command line meant for people that reads as
noise, so `apply()` (called once, when the CLI package is imported) swaps those labels.
"""

from __future__ import annotations

from typing import Any

from typer import core

_ORIGINAL_DISPLAY_TYPE = core.TyperOption.display_type
_NAMES = {"str": "TEXT", "int": "INTEGER", "float": "FLOAT", "int range": "INTEGER",
          "float range": "FLOAT", "bool": None}


def _plain(label: str) -> str | None:
    """typer's label without the brackets: `list[str]` -> TEXT, `int` -> INTEGER."""
    if label.startswith("list[") and label.endswith("]"):
        label = label[5:-1]
    if label in _NAMES:
        return _NAMES[label]
    return label if "|" in label else label.upper()


def _type_label(param: Any, ctx: Any) -> str | None:
    """The label for an option's value: its metavar, the choices, or the type's name."""
    if param.metavar is not None:
        return param.metavar
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    label = _ORIGINAL_DISPLAY_TYPE(param, ctx)
    if not label:
        return None
    return _plain(label.strip("<>"))


def _option_type(self: Any, ctx: Any) -> str | None:
    label = _type_label(self, ctx)
    if label is not None and self.nargs != 1 and self.metavar is None:
        label += "..."
    return label


def _argument_type(self: Any, ctx: Any) -> str | None:
    """An argument's name column already shows its metavar; the type adds nothing."""
    return None


def _argument_usage(self: Any) -> str:
    name = self.display_name_raw
    name = name if self.required else f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


def apply() -> None:
    """Install the labels on typer's parameter classes (idempotent)."""
    core.TyperOption.display_type_rich = _option_type  # type: ignore[method-assign]
    core.TyperOption.display_type = _option_type  # type: ignore[method-assign]
    core.TyperArgument.display_type_rich = _argument_type  # type: ignore[method-assign]
    core.TyperArgument.display_type = _argument_type  # type: ignore[method-assign]
    core.TyperArgument._usage_display_name = _argument_usage  # type: ignore[method-assign]
