"""DagyClient's environment calls and promotion (kept apart so the client stays small)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from dagy.models import Deployment


def _seg(name: str) -> str:
    return quote(name, safe="")


class EnvironmentCalls:
    """Mixed into DagyClient: environments are plain dicts as the API returns them."""

    def list_environments(self) -> list[dict]:
        """Every environment of the org, oldest first (development, staging, production...)."""
        return self._request("GET", "/environments")["items"]  # type: ignore[attr-defined]

    def get_environment(self, name: str) -> dict:
        return self._request("GET", f"/environments/{_seg(name)}")  # type: ignore[attr-defined]

    def create_environment(self, name: str, *, protected: bool | None = None,
                           default_executor: str | None = None,
                           default_runtime_tier: str | None = None,
                           config: dict[str, Any] | None = None) -> dict:
        body: dict[str, Any] = {"env_name": name}
        optional = {"is_protected": protected, "default_executor": default_executor,
                    "default_runtime_tier": default_runtime_tier, "config_json": config}
        body.update({k: v for k, v in optional.items() if v is not None})
        return self._request("POST", "/environments", body=body)  # type: ignore[attr-defined]

    def update_environment(self, name: str, **changes: Any) -> dict:
        """changes: is_protected, default_executor, default_runtime_tier, config_json
        (None clears executor and tier)."""
        return self._request("PATCH", f"/environments/{_seg(name)}",  # type: ignore[attr-defined]
                             body=changes)

    def delete_environment(self, name: str) -> None:
        """409 for a protected environment or one that deployments belong to."""
        self._request("DELETE", f"/environments/{_seg(name)}")  # type: ignore[attr-defined]

    def promote_deployment(self, name: str, to_environment: str,
                           target_name: str | None = None) -> tuple[Deployment, bool]:
        """Copy a deployment (same flow version) into another environment. Returns the
        target deployment and whether it was created (False: an earlier one moved on)."""
        body = {"to_environment": to_environment}
        if target_name is not None:
            body["name"] = target_name
        answer = self._request("POST", f"/deployments/{_seg(name)}/promote",  # type: ignore[attr-defined]
                               body=body)
        return Deployment.from_dict(answer), bool(answer.get("created"))
