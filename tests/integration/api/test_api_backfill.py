"""`POST /deployments/{name}/backfill` through the ASGI app: the answer's shape, the
repeat that creates nothing, max_concurrent, and every refusal as one error shape with
nothing written."""

from __future__ import annotations

from dagy.application.use_cases.scheduler import slot_key

RANGE = {"start": "2026-01-01T00:00:00Z", "end": "2026-01-01T03:00:00+00:00"}
SLOTS = ["2026-01-01T00:00:00.000000Z", "2026-01-01T01:00:00.000000Z",
         "2026-01-01T02:00:00.000000Z"]


def hourly(api, **extra) -> str:
    answer = api.post("/schedules", json={"deployment_name": "numbers-prod",
                                          "cron_expression": "0 * * * *",
                                          "parameters": {"n": 4}, **extra})
    assert answer.status_code == 201, answer.text
    return answer.json()["schedule_id"]


def runs(api) -> list[dict]:
    return api.get("/runs", params={"limit": 200}).json()["items"]


def test_backfill_creates_one_run_per_slot_and_a_repeat_creates_none(api):
    api.deploy()
    sid = hourly(api)
    first = api.post("/deployments/numbers-prod/backfill", json=RANGE)
    assert first.status_code == 200, first.text
    body = first.json()
    assert {k: body[k] for k in ("schedule_id", "total", "created", "existing", "pending")} == {
        "schedule_id": sid, "total": 3, "created": 3, "existing": 0, "pending": 0}
    assert [s["scheduled_at"] for s in body["slots"]] == SLOTS
    assert [s["run_id"] for s in body["slots"]] == body["runs"]
    assert {s["status"] for s in body["slots"]} == {"QUEUED"}
    listed = runs(api)
    assert sorted(r["run_id"] for r in listed) == sorted(body["runs"])
    assert {r["parameters"]["n"] for r in listed} == {4}
    with api.deps.uow() as uow:
        stored, _ = uow.runs.list(uow.orgs.get_by_name("acme").org_id, limit=10)
    keys = {r.idempotency_key for r in stored}
    assert keys == {slot_key(sid, e) for e in (1767225600, 1767229200, 1767232800)}
    again = api.post("/deployments/numbers-prod/backfill",
                     json={**RANGE, "schedule_id": sid}).json()
    assert (again["created"], again["existing"], again["runs"]) == (0, 3, body["runs"])
    assert len(runs(api)) == 3


def test_max_concurrent_leaves_the_rest_pending_for_the_next_call(api):
    api.deploy()
    hourly(api)
    body = api.post("/deployments/numbers-prod/backfill",
                    json={**RANGE, "max_concurrent": 1}).json()
    assert (body["created"], body["pending"], body["active"]) == (1, 2, 1)
    assert [s["run_id"] is None for s in body["slots"]] == [False, True, True]
    api.drain()  # the one run finishes: the next call may start one more
    body = api.post("/deployments/numbers-prod/backfill",
                    json={**RANGE, "max_concurrent": 1}).json()
    assert (body["created"], body["pending"], body["active"], body["finished"]) == (1, 1, 1, 1)


def test_refusals_are_4xx_in_the_error_shape_and_write_nothing(api):
    api.deploy()
    path = "/deployments/numbers-prod/backfill"
    api.error(api.post(path, json=RANGE), 422, "invalid")  # no schedule yet
    sid = hourly(api)
    cases = [
        ({**RANGE, "end": RANGE["start"]}, 422, "before end"),
        ({"start": "2026-01-01T00:00:00", "end": RANGE["end"]}, 422, "UTC offset"),
        ({"start": "yesterday", "end": RANGE["end"]}, 422, None),
        ({"start": RANGE["start"], "end": "9999-01-01T00:00:00Z"}, 422, "future"),
        ({"start": "2020-01-01T00:00:00Z", "end": RANGE["end"]}, 422, "limit of 1000"),
        ({**RANGE, "max_concurrent": 0}, 422, None),
        ({**RANGE, "max_concurrent": "2"}, 422, None),
        ({**RANGE, "surprise": 1}, 422, None),
        ({**RANGE, "schedule_id": "nope"}, 404, "nope"),
    ]
    for body, status, fragment in cases:
        error = api.error(api.post(path, json=body), status)
        if fragment:
            assert fragment in error["message"], error
    limit = api.error(api.post(path, json={"start": "2020-01-01T00:00:00Z",
                                           "end": RANGE["end"]}))
    assert "52611 slots" in limit["message"]  # 2192 days * 24 + 3
    api.error(api.post("/deployments/ghost/backfill", json=RANGE), 404, "not_found")
    second = hourly(api, cron_expression="30 * * * *")
    several = api.error(api.post(path, json=RANGE), 422)
    assert sid in several["message"] and second in several["message"]
    assert runs(api) == []
    assert api.post(path, json={**RANGE, "schedule_id": second}).json()["created"] == 3
