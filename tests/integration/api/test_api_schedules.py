"""The schedules API: CRUD, previews across DST, validation, org isolation, the tick."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from dagy.application.use_cases.accounts import bootstrap
from dagy.application.use_cases.scheduler import scheduler_tick


def test_schedule_lifecycle_and_dst_preview(api):
    api.deploy()
    created = api.post("/schedules", json={
        "deployment_name": "numbers-prod", "cron_expression": "30 2 * * *",
        "timezone": "Europe/Berlin", "parameters": {"n": 4}})
    assert created.status_code == 201, created.text
    schedule = created.json()
    sid = schedule["schedule_id"]
    assert schedule["flow_name"] == "numbers" and schedule["enabled"] is True
    assert schedule["dst_policy"] == {"nonexistent": "shift", "ambiguous": "once"}

    preview = api.get(f"/schedules/{sid}/preview",
                      params={"count": 3, "after": "2027-03-26T12:00:00Z"}).json()["items"]
    assert preview == [
        {"local": "2027-03-27T02:30:00+01:00", "utc": "2027-03-27T01:30:00.000000Z"},
        {"local": "2027-03-28T03:00:00+02:00", "utc": "2027-03-28T01:00:00.000000Z"},  # shifted
        {"local": "2027-03-29T02:30:00+02:00", "utc": "2027-03-29T00:30:00.000000Z"}]
    api.call("PATCH", f"/schedules/{sid}", json={"dst_policy": {"nonexistent": "skip"}})
    skipped = api.get(f"/schedules/{sid}/preview",
                      params={"count": 2, "after": "2027-03-26T12:00:00Z"}).json()["items"]
    assert [s["utc"] for s in skipped] == ["2027-03-27T01:30:00.000000Z",
                                           "2027-03-29T00:30:00.000000Z"]

    assert api.post(f"/schedules/{sid}/disable").json()["enabled"] is False
    assert api.post(f"/schedules/{sid}/enable").json()["next_run_at"] is not None
    listed = api.get("/schedules", params={"deployment_name": "numbers-prod"}).json()
    assert [s["schedule_id"] for s in listed["items"]] == [sid]
    assert api.call("DELETE", f"/schedules/{sid}").status_code == 204
    api.error(api.get(f"/schedules/{sid}"), 404, "not_found")


def test_bad_schedules_are_422_and_foreign_ones_404(api):
    api.deploy()
    for body in ({"deployment_name": "numbers-prod", "cron_expression": "61 * * * *"},
                 {"deployment_name": "numbers-prod", "cron_expression": "* * * * *",
                  "timezone": "Mars/Olympus"},
                 {"deployment_name": "numbers-prod", "mode": "interval"},
                 {"deployment_name": "numbers-prod", "mode": "weekly"},
                 {"deployment_name": "numbers-prod", "cron_expression": "* * * * *", "x": 1},
                 {"deployment_name": "numbers-prod", "cron_expression": "* * * * *",
                  "dst_policy": {"nonexistent": "later"}}):
        api.error(api.post("/schedules", json=body), 422, "invalid")
    api.error(api.post("/schedules", json={"deployment_name": "nope",
                                            "cron_expression": "* * * * *"}), 404)
    sid = api.post("/schedules", json={"deployment_name": "numbers-prod",
                                       "cron_expression": "* * * * *",
                                       "parameters": {"n": 1}}).json()["schedule_id"]
    _, other_key = bootstrap(api.deps, "other")
    other = {"Authorization": f"Bearer {other_key}"}
    for method, path in (("GET", f"/schedules/{sid}"), ("POST", f"/schedules/{sid}/disable"),
                         ("GET", f"/schedules/{sid}/preview"), ("DELETE", f"/schedules/{sid}")):
        api.error(api.client.request(method, path, headers=other), 404, "not_found")


def test_the_tick_triggers_scheduled_runs_that_execute(api):
    api.deploy()
    sid = api.post("/schedules", json={"deployment_name": "numbers-prod", "mode": "interval",
                                       "interval_seconds": 60,
                                       "parameters": {"n": 3}}).json()["schedule_id"]
    later = datetime.now(timezone.utc) + timedelta(seconds=61)
    result = scheduler_tick(api.deps, now=later)
    assert result.triggered == 1
    assert scheduler_tick(api.deps, now=later).triggered == 0
    api.drain()
    runs = api.get("/runs").json()["items"]
    assert [r["status"] for r in runs] == ["SUCCEEDED"] and runs[0]["parameters"] == {"n": 3}
    assert api.get(f"/schedules/{sid}").json()["last_triggered_at"] is not None


def test_scheduler_lambda_handler_with_the_eventbridge_payload(api, monkeypatch):
    from dagy.entrypoints import lambda_runtime, lambda_scheduler
    api.deploy()
    api.post("/schedules", json={"deployment_name": "numbers-prod", "mode": "interval",
                                 "interval_seconds": 1, "parameters": {"n": 2}})

    class Later:
        def now(self):
            return datetime.now(timezone.utc) + timedelta(seconds=5)
    monkeypatch.setattr(api.deps, "clock", Later())
    with lambda_runtime.serving(api.deps):
        answer = lambda_scheduler.handler({"dagy_event_type": "scheduler_tick", "max_due": 100},
                                          None)
    assert answer["triggered"] == 1 and answer["schedules"] == 1
    assert api.pending_outbox() == 0  # relayed before returning
    assert lambda_scheduler.handler({"dagy_event_type": "scheduler_tick", "max_due": 0}, None) == {
        "error": "max_due must be an integer from 1 to 10000"}
