"""Does a command's real output say what a console block shows?

Why loose but not blind: a docs example shows one run, so ids, build ids, hashes,
timestamps, ports and the state directory differ on every run, and tables are padded to
their content. Those are normalised on both sides; `...` and `<placeholder>` in the docs
match anything. Everything else must appear, line by line and in order.
"""

from __future__ import annotations

import re

_ANNOTATION = re.compile(r"\s+\((?:stdout|stderr)\)\s*$")
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{8}"), "BUILD_ID"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "UUID"),
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?"),
     "TIMESTAMP"),
    (re.compile(r"\b[0-9a-f]{8,64}\b"), "HEX"),
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:PORT"),
    (re.compile(r"/home/[\w.-]+/\.dagy"), "~/.dagy"),
    (re.compile(r"([─━═])\1+"), r"\1"),
    (re.compile(r"[ \t]+"), " "),
]


def normalise(text: str, dagy_home: str | None = None) -> str:
    if dagy_home:
        text = text.replace(dagy_home, "~/.dagy")
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


def _pattern(expected: str) -> re.Pattern[str]:
    parts = re.split(r"(\.\.\.|<[\w .|-]+>)", expected)
    body = "".join(".*" if part == "..." or part.startswith("<") else re.escape(part)
                   for part in parts)
    return re.compile(body)


def mismatch(expected: tuple[str, ...], actual: str, dagy_home: str | None = None) -> str | None:
    """None if every expected line matches a line of `actual`, in order; else a message."""
    lines = [normalise(line, dagy_home) for line in actual.splitlines()]
    lines = [line for line in lines if line]
    position = 0
    for raw in expected:
        want = normalise(_ANNOTATION.sub("", raw), dagy_home)
        if not want:
            continue
        pattern = _pattern(want)
        for index in range(position, len(lines)):
            if pattern.fullmatch(lines[index]):
                position = index + 1
                break
        else:
            return (f"the docs show {raw.strip()!r} but the output has no such line"
                    f" (after line {position}):\n" + "\n".join(lines))
    return None


def mismatch_streams(expected: tuple[str, ...], stdout: str, stderr: str,
                     dagy_home: str | None = None) -> str | None:
    """Like mismatch; when the docs mark lines `(stderr)` / `(stdout)`, each marked line
    must be on that stream (unmarked lines then belong to stdout)."""
    marked = [line for line in expected if _ANNOTATION.search(line)]
    if not marked:
        return mismatch(expected, stdout + stderr, dagy_home)
    on_stderr = tuple(line for line in expected if line.rstrip().endswith("(stderr)"))
    on_stdout = tuple(line for line in expected if line not in on_stderr)
    return (mismatch(on_stdout, stdout, dagy_home)
            or mismatch(on_stderr, stderr, dagy_home))
