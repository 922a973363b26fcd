"""DagyClient's secret calls: values go in, metadata comes back (never a value)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote


def _seg(name: str) -> str:
    return quote(name, safe="")


class SecretCalls:
    """Mixed into DagyClient. `environment` None: the org-wide secret."""

    def set_secret(self, name: str, value: str, environment: str | None = None) -> dict:
        body: dict[str, Any] = {"value": value}
        if environment is not None:
            body["environment"] = environment
        return self._request("PUT", f"/secrets/{_seg(name)}", body=body)  # type: ignore[attr-defined]

    def list_secrets(self, environment: str | None = None, *, limit: int = 200,
                     max_pages: int = 100) -> list[dict]:
        """Every secret's metadata (of one environment with `environment`), oldest first."""
        items: list[dict] = []
        cursor = None
        for _ in range(max_pages):
            page = self._request("GET", "/secrets", query={  # type: ignore[attr-defined]
                "environment": environment, "limit": limit, "cursor": cursor})
            items += page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                break
        return items

    def delete_secret(self, name: str, environment: str | None = None) -> None:
        self._request("DELETE", f"/secrets/{_seg(name)}",  # type: ignore[attr-defined]
                      query={"environment": environment})
