"""Schedule parameters are checked against the flow when written; run-now starts one run."""

from __future__ import annotations


def test_schedule_parameters_that_do_not_fit_the_flow_are_422_and_nothing_is_written(api):
    api.deploy()
    for params in ({"nope": 1}, {"n": "four"}):
        answer = api.post("/schedules", json={"deployment_name": "numbers-prod",
                                             "cron_expression": "* * * * *",
                                             "parameters": params})
        api.error(answer, 422, "invalid")
    assert api.get("/schedules").json()["items"] == []
    sid = api.post("/schedules", json={"deployment_name": "numbers-prod",
                                       "cron_expression": "* * * * *",
                                       "parameters": {"n": 3}}).json()["schedule_id"]
    api.error(api.call("PATCH", f"/schedules/{sid}", json={"parameters": {"nope": 1}}),
              422, "invalid")
    assert api.get(f"/schedules/{sid}").json()["parameters"] == {"n": 3}


def test_run_now_starts_one_run_with_the_schedule_parameters(api):
    api.deploy()
    sid = api.post("/schedules", json={"deployment_name": "numbers-prod",
                                       "cron_expression": "0 0 1 1 *",
                                       "parameters": {"n": 5}}).json()["schedule_id"]
    first = api.post(f"/schedules/{sid}/run")
    assert first.status_code == 201, first.text
    assert first.json()["parameters"]["n"] == 5
    second = api.post(f"/schedules/{sid}/run").json()
    assert second["run_id"] != first.json()["run_id"]
    api.error(api.post("/schedules/missing/run"), 404, "not_found")
