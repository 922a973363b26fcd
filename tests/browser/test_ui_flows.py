"""The Flows pages in a real browser against a real `dagy server --demo`: the list shows
the demo flow (namespace, latest version, tags) and links to it; its page shows the
version's code hash and parameters and the DAG of the demo's four tasks, drawn by ELK
and @xyflow/react under the server's CSP; a task selected with the mouse or the
keyboard shows its options; an unknown flow shows the API's message. Every page here
passes axe and logs no console error or CSP violation it did not expect."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from ui_browser import check_a11y, sign_in

pytestmark = pytest.mark.slow

DEMO_TASKS = ("extract", "enrich", "summarize", "load")


def test_the_flows_page_lists_the_demo_flow(page, ui_server) -> None:
    sign_in(page, ui_server)
    page.goto(ui_server.ui_url + "/flows/")
    row = page.locator('tbody tr[data-flow-name="etl_pipeline"]')
    expect(row).to_contain_text("default")
    expect(row).to_contain_text("1.0.0")
    expect(row).to_contain_text("team=data-eng")
    check_a11y(page)

    row.get_by_role("link", name="etl_pipeline").click()
    page.wait_for_url("**/ui/flows/detail/?name=etl_pipeline")
    expect(page.get_by_role("heading", name="Flow etl_pipeline")).to_be_visible()


def test_a_flow_version_shows_its_code_hash_parameters_and_task_graph(page, ui_server) -> None:
    version = ui_server.api.get("/flows/etl_pipeline/versions/latest").raise_for_status().json()
    sign_in(page, ui_server)
    page.goto(ui_server.ui_url + "/flows/detail/?name=etl_pipeline&version=1.0.0")

    expect(page.get_by_role("link", name="1.0.0", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.get_by_text(version["code_hash"], exact=True)).to_be_visible()
    parameters = page.get_by_role("table", name="Parameters")
    expect(parameters).to_contain_text("source")
    expect(parameters).to_contain_text('"demo"')
    expect(parameters).to_contain_text("rows")

    graph = page.get_by_test_id("dag-graph")
    for task in DEMO_TASKS:
        expect(graph.locator(f'[data-task-id="{task}"]')).to_be_visible()
    expect(graph.locator('[data-task-id="enrich"]')).to_contain_text("enrich ×N")  # mapped
    expect(graph.locator(".react-flow__edge")).to_have_count(4)
    # ELK laid it out left to right: each task starts right of its upstream tasks
    x = {task: graph.locator(f'[data-task-id="{task}"]').bounding_box()["x"] for task in DEMO_TASKS}
    assert x["extract"] < x["enrich"] < x["load"] and x["extract"] < x["summarize"] < x["load"], x
    check_a11y(page)

    graph.locator('[data-task-id="load"]').click()
    details = page.get_by_test_id("task-details")
    expect(details).to_contain_text("Task load")
    expect(details).to_contain_text("demo_flows:load")
    expect(details).to_contain_text("10 s")  # its timeout
    expect(graph.locator('[data-task-id="load"]')).to_have_attribute("aria-pressed", "true")

    graph.locator('[data-task-id="extract"]').focus()
    page.keyboard.press("Enter")
    expect(details).to_contain_text("Task extract")
    expect(details).to_contain_text("2 (wait 0.1, 0.2 s)")  # retries=2, retry_delay_seconds=[0.1, 0.2]
    check_a11y(page)

    details.get_by_role("button", name="Close").click()
    expect(details).to_have_count(0)


def test_an_unknown_flow_shows_the_apis_message(page, ui_server, problems) -> None:
    problems.allow(r"status of 404 .*/flows/no_such_flow")
    sign_in(page, ui_server)
    page.goto(ui_server.ui_url + "/flows/detail/?name=no_such_flow")
    expect(page.locator("main").get_by_role("alert")).to_contain_text("flow 'no_such_flow' not found")
    check_a11y(page)
