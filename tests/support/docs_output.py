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


def mismatch(expected: tuple[str, ...], actual: str | tuple[str, ...],
             dagy_home: str | None = None) -> str | None:
    """None if every expected line matches a line of `actual`, in order; else a message.
    `actual` may be several streams (stdout, stderr): each line is looked for in each
    stream in turn, and order is kept within a stream (they interleave unpredictably)."""
    streams = (actual,) if isinstance(actual, str) else actual
    lines = [[normalise(line, dagy_home) for line in stream.splitlines()] for stream in streams]
    positions = [0] * len(lines)
    for raw in expected:
        want = normalise(_ANNOTATION.sub("", raw), dagy_home)
        if not want or want == "...":
            continue   # `...` alone stands for lines the docs leave out
        pattern = _pattern(want)
        for number, stream in enumerate(lines):
            found = next((index for index in range(positions[number], len(stream))
                          if pattern.fullmatch(stream[index])), None)
            if found is not None:
                positions[number] = found + 1
                break
        else:
            shown = "\n".join(line for stream in lines for line in stream if line)
            return f"the docs show {raw.strip()!r} but the output has no such line:\n{shown}"
    return None


def mismatch_streams(expected: tuple[str, ...], stdout: str, stderr: str,
                     dagy_home: str | None = None) -> str | None:
    """Like mismatch; when the docs mark lines `(stderr)` / `(stdout)`, each marked line
    must be on that stream (unmarked lines then belong to stdout)."""
    if not any(_ANNOTATION.search(line) for line in expected):
        return mismatch(expected, (stdout, stderr), dagy_home)
    on_stderr = tuple(line for line in expected if line.rstrip().endswith("(stderr)"))
    on_stdout = tuple(line for line in expected if line not in on_stderr)
    return (mismatch(on_stdout, stdout, dagy_home)
            or mismatch(on_stderr, stderr, dagy_home))
