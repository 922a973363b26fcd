"""GET /schedules/{id}/slots and the refusals in GET /schedules/{id}: what the tick did
with each slot, newest first, paginated, org-scoped; bad queries are 4xx."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from dagy.application.use_cases.scheduler import scheduler_tick


def _every_minute(api) -> str:
    api.deploy()
    answer = api.post("/schedules", json={"deployment_name": "numbers-prod", "mode": "interval",
                                          "interval_seconds": 60, "parameters": {"n": 3}})
    assert answer.status_code == 201, answer.text
    return answer.json()["schedule_id"]


def _tick(api, minutes: int) -> None:
    scheduler_tick(api.deps, now=datetime.now(timezone.utc) + timedelta(seconds=60 * minutes + 1))


def test_refused_and_triggered_slots_are_listed_newest_first_with_reason_and_run(api):
    sid = _every_minute(api)
    fresh = api.get(f"/schedules/{sid}").json()
    assert (fresh["refused_slots"], fresh["last_refused"]) == (0, None)
    assert api.get(f"/schedules/{sid}/slots").json() == {"items": [], "next_cursor": None}
    _tick(api, 1)
    assert api.post("/deployments/numbers-prod/pause").status_code == 200
    _tick(api, 2)
    _tick(api, 3)
    api.drain()
    items = api.get(f"/schedules/{sid}/slots").json()["items"]
    assert [i["status"] for i in items] == ["refused", "refused", "triggered"]
    assert items[0]["epoch"] > items[1]["epoch"] > items[2]["epoch"]
    assert "paused" in items[0]["reason"] and items[0]["run_id"] is None
    assert items[0]["scheduled_for"].endswith("Z") and items[0]["run_status"] is None
    ran = items[2]
    assert ran["reason"] is None and ran["run_status"] == "SUCCEEDED"
    run = api.get(f"/runs/{ran['run_id']}").json()
    assert run["status"] == "SUCCEEDED"
    detail = api.get(f"/schedules/{sid}").json()
    assert detail["refused_slots"] == 2 and detail["last_refused"]["epoch"] == items[0]["epoch"]
    assert "paused" in detail["last_refused"]["reason"]
    refused = api.get(f"/schedules/{sid}/slots", params={"status": "refused"}).json()["items"]
    assert [i["epoch"] for i in refused] == [items[0]["epoch"], items[1]["epoch"]]


def test_slots_are_paginated_like_every_list(api):
    sid = _every_minute(api)
    api.post("/deployments/numbers-prod/pause")
    for minute in range(1, 6):
        _tick(api, minute)
    seen, cursor = [], None
    for _ in range(10):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get(f"/schedules/{sid}/slots", params=params).json()
        assert len(page["items"]) <= 2
        seen += [i["epoch"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5 and seen == sorted(seen, reverse=True)


def test_bad_queries_are_4xx_and_other_orgs_see_nothing(api):
    sid = _every_minute(api)
    api.error(api.get("/schedules/missing/slots"), 404, "not_found")
    for params in ({"status": "lost"}, {"limit": 0}, {"limit": 1001},
                   {"cursor": "not-a-cursor"}):
        api.error(api.get(f"/schedules/{sid}/slots", params=params), 422)
    from dagy.application.use_cases.accounts import bootstrap
    _, other_key = bootstrap(api.deps, "other-org")
    other = {"Authorization": f"Bearer {other_key}"}
    api.error(api.client.get(f"/schedules/{sid}/slots", headers=other), 404, "not_found")
    api.error(api.client.get(f"/schedules/{sid}/slots"), 401)
