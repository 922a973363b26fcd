"""DagyClient's identity calls: API keys and `me` (kept apart so the client module stays
small). Keys are plain dicts as the API returns them; a key's secret (`api_key`) is in the
answer of create_api_key only."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote


class IdentityCalls:
    """Mixed into DagyClient."""

    def me(self) -> dict:
        """Who the client's key is: org, role, permissions."""
        return self._request("GET", "/me")  # type: ignore[attr-defined]

    def create_api_key(self, name: str, *, role: str | None = None,
                       environments: list[str] | None = None,
                       expires_at: datetime | str | None = None) -> dict:
        body: dict[str, Any] = {"name": name}
        if role is not None:
            body["role"] = role
        if environments is not None:
            body["environments"] = list(environments)
        if expires_at is not None:
            body["expires_at"] = (expires_at.isoformat() if isinstance(expires_at, datetime)
                                  else expires_at)
        return self._request("POST", "/api-keys", body=body)  # type: ignore[attr-defined]

    def list_api_keys(self) -> list[dict]:
        return self._items("/api-keys", {}, follow=True)  # type: ignore[attr-defined]

    def revoke_api_key(self, key_id: str) -> None:
        self._request("DELETE", f"/api-keys/{quote(str(key_id), safe='')}")  # type: ignore[attr-defined]
