"""DagyClient's schedule calls (kept apart so the client module stays small)."""

from __future__ import annotations

from typing import Any


class ScheduleCalls:
    """Mixed into DagyClient: schedules are plain dicts as the API returns them."""

    def create_schedule(self, deployment_name: str, **fields: Any) -> dict:
        """fields: mode, cron_expression, interval_seconds, timezone, start_at, end_at,
        parameters, catchup_policy, max_catchup_runs, dst_policy, enabled."""
        body = {"deployment_name": deployment_name,
                **{k: v for k, v in fields.items() if v is not None}}
        return self._request("POST", "/schedules", body=body)  # type: ignore[attr-defined]

    def list_schedules(self, deployment_name: str | None = None) -> list[dict]:
        return self._items("/schedules", {"deployment_name": deployment_name},  # type: ignore[attr-defined]
                           follow=True)

    def get_schedule(self, schedule_id: str) -> dict:
        return self._request("GET", f"/schedules/{schedule_id}")  # type: ignore[attr-defined]

    def preview_schedule(self, schedule_id: str, count: int = 10,
                         after: str | None = None) -> list[dict]:
        answer = self._request("GET", f"/schedules/{schedule_id}/preview",  # type: ignore[attr-defined]
                               query={"count": count, "after": after})
        return answer["items"]

    def set_schedule_enabled(self, schedule_id: str, enabled: bool) -> dict:
        action = "enable" if enabled else "disable"
        return self._request("POST", f"/schedules/{schedule_id}/{action}")  # type: ignore[attr-defined]

    def delete_schedule(self, schedule_id: str) -> None:
        self._request("DELETE", f"/schedules/{schedule_id}")  # type: ignore[attr-defined]

    def run_schedule(self, schedule_id: str) -> dict:
        """One run now with the schedule's parameters (outside its slots)."""
        return self._request("POST", f"/schedules/{schedule_id}/run")  # type: ignore[attr-defined]

    def schedule_slots(self, schedule_id: str, status: str | None = None,
                       limit: int = 20) -> list[dict]:
        """The schedule's newest recorded slots (at most `limit`, newest first): "refused"
        ones with their `reason`, "triggered" ones with `run_id` and `run_status`."""
        return self._items(f"/schedules/{self._seg(schedule_id)}/slots",  # type: ignore[attr-defined]
                           {"status": status, "limit": limit})
