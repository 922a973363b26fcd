"""The run detail page in a real browser against a real `dagy server --demo`: a triggered
demo run's graph turns every task SUCCEEDED, a task's runs, the timeline and the logs
show; a failed run shows the task's error and traceback and, once the cause is gone,
"Retry failed tasks" makes it succeed; a slow run can be cancelled; a viewer sees no
actions; an unknown id links back to the runs list. Every page passes axe and logs no
console error it did not expect (the `page` fixture fails a test on any)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from ui_browser import check_a11y, sign_in, sign_in_with_api_key
from ui_server import api_key_of_role

pytestmark = pytest.mark.slow

RUN_S = 60_000  # ms: a run's first claim can take a while on a busy machine

FLAKY_FLOWS = '''\
from pathlib import Path

from dagy import flow, task

FIXED = Path({fixed!r})


@task
def fetch(rows: int) -> list[int]:
    return list(range(rows))


@task
def check(rows: list[int]) -> int:
    if not FIXED.exists():
        raise RuntimeError("upstream not fixed yet")
    return len(rows)


@flow(name="run_detail_flaky", version="1.0.0")
def run_detail_flaky(rows: int = 3):
    return check(fetch(rows))
'''

SLOW_FLOWS = '''\
import time

from dagy import flow, task


@task
def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@flow(name="run_detail_slow", version="1.0.0")
def run_detail_slow(seconds: float = 60.0):
    return nap(seconds)
'''


def _trigger(server, deployment: str) -> str:
    answer = server.api.post("/runs", json={"deployment_name": deployment})
    answer.raise_for_status()
    return answer.json()["run_id"]


def _open(page, server, run_id: str) -> None:
    page.goto(f"{server.ui_url}/runs/detail/?id={run_id}")


def _status(page):
    """The run's status badge in the page's header."""
    return page.locator("section[aria-labelledby='run-heading'] span").first


def _node(page, task_id: str):
    return page.locator(f"[data-testid='dag-graph'] [data-task-id='{task_id}']")


def _confirm(page, label: str, confirm: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name=confirm, exact=True).click()


def test_the_demo_runs_graph_turns_succeeded_with_task_runs_timeline_and_logs(page, ui_server) -> None:
    sign_in(page, ui_server)
    run_id = _trigger(ui_server, "etl-demo")
    _open(page, ui_server, run_id)
    expect(_status(page)).to_have_text("SUCCEEDED", timeout=RUN_S)
    for task_id in ("extract", "enrich", "summarize", "load"):
        expect(_node(page, task_id)).to_contain_text("succeeded", timeout=10_000)
    expect(_node(page, "enrich")).to_contain_text("10 succeeded")

    _node(page, "enrich").click()
    panel = page.locator("section[aria-labelledby='task-runs-heading']")
    expect(panel.get_by_role("heading", name="Task enrich")).to_be_visible()
    expect(panel.locator("tbody tr[data-task-run-id]")).to_have_count(10)

    # the same choice by keyboard: the task select
    page.get_by_label("Task", exact=True).first.select_option("load")
    expect(panel.get_by_role("heading", name="Task load")).to_be_visible()

    expect(page.locator("[data-timeline-row]")).to_have_count(13)  # extract, 10 items, summarize, load
    logs = page.get_by_role("region", name="Log lines")
    expect(logs).to_contain_text("run SUCCEEDED")
    page.locator("#log-task").select_option("load")
    expect(logs).not_to_contain_text("run SUCCEEDED")
    expect(logs).to_contain_text("task load SUCCEEDED")
    check_a11y(page)


def test_a_failed_run_shows_the_traceback_and_retrying_its_failed_tasks_succeeds(
        page, ui_server, tmp_path: Path) -> None:
    fixed = tmp_path / "fixed"
    deployment = ui_server.deploy(FLAKY_FLOWS.format(fixed=str(fixed)), "run_detail_flaky",
                                  f"run-detail-flaky-{time.time_ns()}")
    sign_in(page, ui_server)
    run_id = _trigger(ui_server, deployment)
    _open(page, ui_server, run_id)
    expect(_status(page)).to_have_text("FAILED", timeout=RUN_S)
    expect(page.locator("section[aria-labelledby='run-heading']")).to_contain_text("upstream not fixed yet")
    expect(_node(page, "check")).to_contain_text("failed")

    _node(page, "check").click()
    page.get_by_text("Traceback of check").click()
    expect(page.locator("details pre")).to_contain_text("RuntimeError: upstream not fixed yet")
    check_a11y(page)

    fixed.write_text("yes")
    _confirm(page, "Retry failed tasks", "Retry")
    expect(_status(page)).to_have_text("SUCCEEDED", timeout=RUN_S)
    expect(_node(page, "check")).to_contain_text("succeeded", timeout=10_000)
    expect(page.get_by_role("button", name="Retry failed tasks")).to_have_count(0)


def test_a_slow_run_can_be_cancelled(page, ui_server) -> None:
    deployment = ui_server.deploy(SLOW_FLOWS, "run_detail_slow", f"run-detail-slow-{time.time_ns()}")
    sign_in(page, ui_server)
    run_id = _trigger(ui_server, deployment)
    _open(page, ui_server, run_id)
    expect(_status(page)).to_have_text("RUNNING", timeout=RUN_S)
    expect(_node(page, "nap")).to_contain_text("running", timeout=10_000)
    check_a11y(page)
    _confirm(page, "Cancel run", "Cancel run")
    expect(_status(page)).to_have_text("CANCELLED", timeout=10_000)
    expect(page.get_by_role("button", name="Cancel run")).to_have_count(0)
    expect(page.get_by_role("button", name="Retry failed tasks")).to_be_visible()
    assert ui_server.api.get(f"/runs/{run_id}").json()["status"] == "CANCELLED"


def test_a_viewer_sees_no_actions_and_an_unknown_run_links_back(page, ui_server, problems) -> None:
    never_fixed = FLAKY_FLOWS.format(fixed="/nonexistent/never").replace("run_detail_flaky", "run_detail_failing")
    deployment = ui_server.deploy(never_fixed, "run_detail_failing", f"run-detail-viewer-{time.time_ns()}")
    run_id = _trigger(ui_server, deployment)
    sign_in_with_api_key(page, ui_server, api_key_of_role(ui_server, "viewer"))
    _open(page, ui_server, run_id)
    expect(_status(page)).to_have_text("FAILED", timeout=RUN_S)
    _node(page, "check").click()
    expect(page.get_by_role("heading", name="Task check")).to_be_visible()
    expect(page.get_by_role("button", name="Retry failed tasks")).to_have_count(0)
    expect(page.get_by_role("button", name="Run again from check")).to_have_count(0)
    expect(page.get_by_role("button", name="Cancel run")).to_have_count(0)

    problems.allow(r"status of 404 \(Not Found\)")  # the browser logs the API's 404
    _open(page, ui_server, "no-such-run")
    expect(page.get_by_role("heading", name="No such run")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Back to runs").click()
    page.wait_for_url("**/ui/runs/")
