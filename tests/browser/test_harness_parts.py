"""The browser harness's own parts that need no browser: the lossless PNG squeeze of the
docs' screenshots and the rule of what a page may report (only what a test allows)."""

from __future__ import annotations

import struct
import zlib

from png_squeeze import SIGNATURE, _chunk, _chunks, squeeze
from ui_browser import PageProblems


def _png(width: int, height: int, level: int, extra: bytes = b"") -> bytes:
    rows = b"".join(b"\x00" + bytes((x * 7 + y) % 256 for x in range(width * 3))
                    for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (SIGNATURE + _chunk(b"IHDR", header) + extra
            + _chunk(b"IDAT", zlib.compress(rows, level)) + _chunk(b"IEND", b""))


def _pixels(data: bytes) -> bytes:
    return zlib.decompress(b"".join(body for kind, body in _chunks(data) if kind == b"IDAT"))


def test_squeeze_keeps_the_pixels_and_drops_ancillary_chunks() -> None:
    original = _png(120, 80, level=0, extra=_chunk(b"tEXt", b"Software\x00chromium"))
    smaller = squeeze(original)
    assert len(smaller) < len(original)
    assert _pixels(smaller) == _pixels(original)
    assert [kind for kind, _ in _chunks(smaller)] == [b"IHDR", b"IDAT", b"IEND"]
    assert squeeze(smaller) == smaller  # nothing left to gain: the same bytes


def test_a_page_problem_fails_unless_allowed() -> None:
    problems = PageProblems()
    assert problems.unexpected() == []
    problems.add("console error", "Failed to load resource: the server responded with a "
                 "status of 404 (Not Found) (http://127.0.0.1:41234/ui/_next/x.js)")
    problems.add("CSP", "style-src-elem blocked inline at http://127.0.0.1:41234/ui/runs/:1")
    assert len(problems.unexpected()) == 2
    problems.allow(r"^CSP: style-src")
    assert problems.unexpected() == [problems.problems[0]]
