"""Secrets in a run on the server: a task reads them with `get_secret`, the deployment's
environment's value wins over the org-wide one, values read are masked (***) in the
run's logs, task error messages and tracebacks, and an unknown name fails the task with
a message naming it."""

from __future__ import annotations

SECRET_FLOW = """\
from dagy import flow, get_secret, task

@task
def use(fail: bool) -> int:
    token = get_secret("API_TOKEN")
    print("the token is", token)
    if fail:
        raise RuntimeError("refused: " + token)
    return len(token)

@flow(name="{flow_name}", version="{version}")
def secretive(fail: bool = False):
    return use(fail)
"""

MISSING_FLOW = """\
from dagy import flow, get_secret, task

@task
def use() -> str:
    return get_secret("NOT_THERE")

@flow(name="{flow_name}", version="{version}")
def missing():
    return use()
"""


def _finished(api, deployment: str, **body) -> tuple[dict, list[str], list[dict]]:
    run = api.trigger(deployment, **body)
    api.drain()
    run_id = run["run_id"]
    done = api.get(f"/runs/{run_id}").json()
    lines = [line["message"] for line in api.get(f"/runs/{run_id}/logs").json()["items"]]
    task_runs = api.get(f"/runs/{run_id}/task-runs").json()["items"]
    return done, lines, task_runs


def test_a_task_reads_the_environment_value_first_and_it_is_masked(api, capfd):
    wide, staged = "org-wide-value-123", "staging-value-456"
    assert api.call("PUT", "/secrets/API_TOKEN", json={"value": wide}).status_code == 201
    api.deploy(SECRET_FLOW, "secretive", deployment="dev-dep", flow_name="secretive")
    done, lines, _ = _finished(api, "dev-dep")
    assert done["status"] == "SUCCEEDED" and done["result"] == len(wide)
    assert any("the token is ***" in line for line in lines), lines
    assert not any(wide in line for line in lines)

    assert api.call("PUT", "/secrets/API_TOKEN", json={
        "value": staged, "environment": "staging"}).status_code == 201
    moved = api.call("PATCH", "/deployments/dev-dep", json={"environment": "staging"})
    if moved.status_code != 200:  # the environment is set when the deployment is made
        made = api.post("/deployments", json={"deployment_name": "stage-dep",
                                               "flow_name": "secretive",
                                               "flow_version": "1.0.0",
                                               "environment": "staging"})
        assert made.status_code == 201, made.text
    deployment = "dev-dep" if moved.status_code == 200 else "stage-dep"
    done, lines, _ = _finished(api, deployment)
    assert done["result"] == len(staged)
    assert not any(staged in line or wide in line for line in lines)
    printed = capfd.readouterr()
    assert staged not in printed.out + printed.err and wide not in printed.out + printed.err


def test_errors_and_tracebacks_of_a_failed_task_are_masked(api):
    value = "very-secret-in-error"
    api.call("PUT", "/secrets/API_TOKEN", json={"value": value})
    api.deploy(SECRET_FLOW, "secretive", deployment="dep", flow_name="secretive")
    done, lines, task_runs = _finished(api, "dep", parameters={"fail": True})
    assert done["status"] == "FAILED"
    assert value not in done["error_message"] and "refused: ***" in done["error_message"]
    [tr] = task_runs
    assert "refused: ***" in tr["error_message"]
    assert value not in repr(tr)
    assert not any(value in line for line in lines) and any("refused: ***" in line
                                                             for line in lines)
    org = api.get("/me").json()["org_id"]
    with api.deps.uow() as uow:
        stored = uow.task_runs.list_for_run(org, done["run_id"])
    stored = stored[0] if isinstance(stored, tuple) else stored
    assert stored and all("refused: ***" in t.error_traceback for t in stored)
    assert all(value not in t.error_traceback + t.error_message for t in stored)


def test_an_unknown_secret_fails_the_task_naming_it(api):
    api.deploy(MISSING_FLOW, "missing", deployment="dep", flow_name="missing")
    done, _, task_runs = _finished(api, "dep")
    assert done["status"] == "FAILED"
    assert "NOT_THERE" in task_runs[0]["error_message"], task_runs[0]
    assert "SecretNotFound" in task_runs[0]["error_message"]
