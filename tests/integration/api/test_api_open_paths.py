"""What answers without a key (docs/server.md): /health and the API reference only."""

from __future__ import annotations

import pytest

OPEN = ["/health", "/docs", "/openapi.json"]
GUARDED = ["/runs", "/flows", "/deployments", "/schedules", "/sensors"]


@pytest.mark.parametrize("path", OPEN)
def test_health_and_the_api_reference_need_no_key(api, path: str) -> None:
    assert api.client.get(path).status_code == 200


@pytest.mark.parametrize("path", GUARDED)
def test_everything_else_needs_the_key(api, path: str) -> None:
    refused = api.client.get(path)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthenticated"
    assert api.get(path).status_code == 200
