"""The web UI (ui/, a Next.js static export) served by the API app: `/` opens it.

The pages live under /ui/ (Next's basePath), because the API already owns /runs,
/flows, /deployments...: a page and an operation can never answer the same URL, and
an unknown API path keeps its JSON 404. `GET /` redirects to /ui/.

Under /ui/ a path is a file of the build or a directory's index.html; every page is
built (detail pages take their id as a query parameter), so any other path answers 404
with the build's not-found page (404.html), and a missing build asset (/ui/_next/...)
a JSON 404, never a page. Every HTML answer carries its own
Content-Security-Policy, kept by the API's security headers middleware: scripts,
styles, images, fonts and fetches from this origin only, plus the page's inline
scripts (Next's hydration payload) by their SHA-256 — no 'unsafe-inline', no eval.
Hashed build assets (/ui/_next/static/) are cached for a year; everything else keeps
the API's `no-store`. The files need no key: they hold no data, the API calls do.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse, Response

from dagy.entrypoints.api.errors import error_response

UI_PREFIX = "/ui"
ASSET_PREFIX = "_next/"
IMMUTABLE = "public, max-age=31536000, immutable"
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.S)


def ui_page_csp(html: bytes) -> str:
    """Self only, plus exactly this page's inline scripts by hash."""
    hashes = "".join(
        " 'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html) if script)
    return ("default-src 'none'; script-src 'self'" + hashes + "; style-src 'self'; "
            "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            "manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            "form-action 'self'")


def resolve(root: Path, path: str) -> Path | None:
    """The file of the build answering `path` (relative to /ui/), or None.

    Never outside `root`: `..`, absolute paths and symlinks leading out resolve to
    None like any missing file."""
    try:
        candidate = (root / path.lstrip("/")).resolve()
        if candidate != root and root not in candidate.parents:
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if candidate.is_file():
            return candidate
        html = candidate.with_name(candidate.name + ".html")
        return html if html.is_file() else None
    except (OSError, ValueError):  # a NUL byte, a name too long for the file system
        return None


@lru_cache(maxsize=256)
def _read(file: Path, mtime_ns: int) -> tuple[bytes, str | None]:
    """A file's bytes and, for HTML, its policy; cached until the file changes."""
    body = file.read_bytes()
    return body, ui_page_csp(body) if file.suffix == ".html" else None


def _answer(file: Path, path: str, status: int = 200) -> Response:
    body, csp = _read(file, file.stat().st_mtime_ns)
    media = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if media.startswith("text/") or media in ("application/javascript", "application/json"):
        media += "; charset=utf-8"
    headers = {}
    if csp is not None:
        headers["Content-Security-Policy"] = csp
    if path.startswith(ASSET_PREFIX + "static/"):
        headers["Cache-Control"] = IMMUTABLE
    return Response(body, status_code=status, media_type=media, headers=headers)


def install_ui(app: FastAPI, directory: Path) -> None:
    """Serve the build in `directory` (it must hold index.html) at /ui/, and `/` to it."""
    root = directory.resolve()
    index = root / "index.html"
    not_found = root / "404.html"

    @app.get("/", include_in_schema=False)
    async def ui_home() -> RedirectResponse:
        return RedirectResponse(UI_PREFIX + "/", status_code=307)

    @app.api_route(UI_PREFIX, methods=["GET", "HEAD"], include_in_schema=False)
    async def ui_root() -> Response:
        return _answer(index, "")

    @app.api_route(UI_PREFIX + "/{path:path}", methods=["GET", "HEAD"],
                   include_in_schema=False)
    async def ui_file(path: str) -> Response:
        file = resolve(root, path)
        if file is not None:
            return _answer(file, path)
        if path.startswith(ASSET_PREFIX) or not not_found.is_file():
            return error_response(404, "not_found", f"no UI file {UI_PREFIX}/{path}")
        return _answer(not_found, "", status=404)
