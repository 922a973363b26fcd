"""/docs works without internet: the page names only assets this server serves."""

from __future__ import annotations

import re


def test_the_api_reference_page_loads_only_local_assets(api) -> None:
    page = api.client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/docs/assets/") for s in sources), sources
    assert "https://" not in page.text and "http://" not in page.text
    for source in sources:
        asset = api.client.get(source)
        assert asset.status_code == 200 and len(asset.content) > 100, source
    assert "'/openapi.json'" in page.text or '"/openapi.json"' in page.text


def test_the_document_declares_bearer_auth_for_the_authorize_button(api) -> None:
    schemes = api.client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert any(s.get("type") == "http" and s.get("scheme") == "bearer" for s in schemes.values())


def test_redoc_is_not_offered(api) -> None:
    assert api.client.get("/redoc").status_code == 404
