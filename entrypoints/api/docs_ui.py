"""The API reference at /docs, served from the package: it works without internet.

FastAPI's default /docs page loads Swagger UI's JavaScript and CSS from a CDN, so on a
machine without internet it is blank. The assets ship with the `swagger-ui-bundle`
package; this serves them under /docs/assets. ReDoc has no packaged build, so /redoc is
not offered (it would be blank offline too).

The pages carry their own Content-Security-Policy (`page_csp`), which the API's
security headers keep (dagy.entrypoints.api.security_headers): scripts and styles from
this origin only, plus each page's one inline script by its SHA-256 (no
'unsafe-inline' for scripts, no eval: the bundle needs neither); images from here and
data: URLs (the stylesheet's icons); fetches to this origin only (the OpenAPI
document, "Try it out"); no framing, no forms, no <base>.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def page_csp(html: bytes) -> str:
    """A policy allowing exactly this page's inline scripts (by hash) and local assets."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html.decode()))
    return ("default-src 'none'; script-src 'self' " + hashes + "; style-src 'self' "
            "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' "
            "data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


def _with_csp(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = page_csp(page.body)
    return page


def install_docs_ui(app: FastAPI) -> None:
    """Serve Swagger UI at /docs over the app's OpenAPI document, with local assets.
    The app must be created with docs_url=None and redoc_url=None."""
    from swagger_ui_bundle import swagger_ui_path

    app.mount(ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui-assets")
    oauth2_redirect = "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return _with_csp(get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} - API reference",
            oauth2_redirect_url=oauth2_redirect,
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png"))

    @app.get(oauth2_redirect, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return _with_csp(get_swagger_ui_oauth2_redirect_html())
