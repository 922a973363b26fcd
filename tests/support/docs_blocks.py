"""The runnable code blocks of README.md and docs/*.md, as the docs test sees them.

Why a parser of our own: the docs test must run exactly what a reader copies, so it takes
the fenced blocks from the Markdown itself (editing a block edits the test). A block may
be preceded by HTML comments only the test reads:

- `<!-- docs-test: skip (reason) -->` opts the block out; the reason is required, so that
  every skip says why (a bare skip is a DocsMarkerError, which fails collection).
- `<!-- docs-test: save as NAME.py -->` marks a Python block as a file the reader saves
  (README's my_flows.py); a first line `# NAME.py` means the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SHELL_LANGS = {"bash", "sh", "shell"}
RUNNABLE_LANGS = SHELL_LANGS | {"console", "python"}
FENCE = re.compile(r"^```([\w-]*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*docs-test:(.*?)-->\s*$")
SKIP = re.compile(r"^skip\s*(?:\((.*)\))?\s*$")
SAVE = re.compile(r"^save as\s+([\w./-]+\.py)\s*$")
FILE_COMMENT = re.compile(r"^#\s*([\w./-]+\.py)\s*$")


class DocsMarkerError(ValueError):
    """A docs-test marker the test cannot honour (a skip without a reason, a typo)."""


@dataclass(frozen=True)
class Command:
    """One `$ command` of a console block and the output lines the docs show for it."""

    line: int
    text: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    path: Path
    line: int          # line of the opening fence, 1-based
    lang: str
    text: str
    skip: str | None = None
    save_as: str | None = None
    commands: tuple[Command, ...] = field(default=())

    @property
    def id(self) -> str:
        return f"{self.path.name}:{self.line}"


def _marker(text: str, path: Path, line: int) -> tuple[str, str] | None:
    body = text.strip()
    if (skip := SKIP.match(body)) is not None:
        reason = (skip.group(1) or "").strip()
        if not reason:
            raise DocsMarkerError(f"{path}:{line}: docs-test skip needs a reason: "
                                  "<!-- docs-test: skip (why) -->")
        return "skip", reason
    if (save := SAVE.match(body)) is not None:
        return "save", save.group(1)
    raise DocsMarkerError(f"{path}:{line}: unknown docs-test marker {body!r}")


def console_commands(text: str, first_line: int) -> tuple[Command, ...]:
    """`$ ` lines are commands (a trailing `\\` continues one); other lines are their
    output; `# ` lines and blank lines are the reader's notes."""
    commands: list[Command] = []
    current: tuple[int, str] | None = None
    expected: list[str] = []
    continuing = False
    for offset, raw in enumerate(text.splitlines()):
        if continuing and current is not None:
            current = (current[0], current[1][:-1].rstrip() + " " + raw.strip())
            continuing = current[1].endswith("\\")
            continue
        if raw.startswith("$ "):
            if current is not None:
                commands.append(Command(current[0], current[1], tuple(expected)))
            current, expected = (first_line + 1 + offset, raw[2:].strip()), []
            continuing = current[1].endswith("\\")
        elif raw.strip() and not raw.startswith("# ") and current is not None:
            expected.append(raw)
    if current is not None:
        commands.append(Command(current[0], current[1], tuple(expected)))
    return tuple(commands)


def parse_blocks(path: Path, text: str | None = None) -> list[Block]:
    """Every bash/sh/shell/console/python block of one Markdown file, with its markers."""
    lines = (path.read_text() if text is None else text).splitlines()
    blocks: list[Block] = []
    markers: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        if (found := MARKER.match(line)) is not None:
            kind, value = _marker(found.group(1), path, index + 1)
            markers[kind] = value
            index += 1
            continue
        fence = FENCE.match(line)
        if fence is None:
            if line.strip():
                markers = {}   # a marker applies only to the block right after it
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        lang, body = fence.group(1), "\n".join(lines[index + 1:end]) + "\n"
        if lang in RUNNABLE_LANGS:
            save_as = markers.get("save")
            first = body.splitlines()[0] if body.strip() else ""
            if lang == "python" and save_as is None and (named := FILE_COMMENT.match(first)):
                save_as = named.group(1)
            blocks.append(Block(path, index + 1, lang, body, markers.get("skip"), save_as,
                                console_commands(body, index + 1) if lang == "console" else ()))
        markers = {}   # before a block the test does not run (``` text, json) it is moot
        index = end + 1
    return blocks


def docs_files(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]
