"""DagyClient's sensor calls (kept apart so the client module stays small).

Sensors are plain dicts as the API returns them; a webhook's token is in the answer of
create_sensor and rotate_sensor_token only, as the API answers it nowhere else."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote


def _path(sensor_id: str, action: str = "") -> str:
    return f"/sensors/{quote(str(sensor_id), safe='')}" + (f"/{action}" if action else "")


class SensorCalls:
    """Mixed into DagyClient."""

    def create_sensor(self, name: str, sensor_type: str, deployment_name: str, *,
                      config: dict | None = None, flow_params: dict | None = None,
                      enabled: bool = True) -> dict:
        body: dict[str, Any] = {"name": name, "sensor_type": sensor_type,
                                "deployment_name": deployment_name, "enabled": enabled}
        if config is not None:
            body["config"] = config
        if flow_params is not None:
            body["flow_params"] = flow_params
        return self._request("POST", "/sensors", body=body)  # type: ignore[attr-defined]

    def list_sensors(self, sensor_type: str | None = None) -> list[dict]:
        return self._items("/sensors", {"sensor_type": sensor_type},  # type: ignore[attr-defined]
                           follow=True)

    def get_sensor(self, sensor_id: str) -> dict:
        return self._request("GET", _path(sensor_id))  # type: ignore[attr-defined]

    def set_sensor_enabled(self, sensor_id: str, enabled: bool) -> dict:
        action = "enable" if enabled else "disable"
        return self._request("POST", _path(sensor_id, action))  # type: ignore[attr-defined]

    def rotate_sensor_token(self, sensor_id: str) -> dict:
        return self._request("POST", _path(sensor_id, "rotate-token"))  # type: ignore[attr-defined]

    def delete_sensor(self, sensor_id: str) -> None:
        self._request("DELETE", _path(sensor_id))  # type: ignore[attr-defined]
