"""The Deployments pages in a real browser against a real `dagy server --demo`: the list
links to the demo deployment, its page shows the flow version's code hash and parameter
schema, a run triggered from the form with a changed parameter lands on its run page and
ran with that value, a value of the wrong type is refused next to its field before any
request, the API's own message shows when it refuses a trigger (a paused deployment),
and a viewer sees neither Trigger run nor Pause. Every page here passes axe and logs no
console error it did not expect (the `page` fixture fails a test on any)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect
from ui_browser import check_a11y, sign_in

pytestmark = pytest.mark.slow

PAUSABLE_FLOWS = '''\
from dagy import flow, task


@task
def count(rows: int) -> int:
    return rows


@flow(name="pausable_ui", version="1.0.0")
def pausable_ui(rows: int = 2):
    return count(rows)
'''


def _detail_url(server, name: str) -> str:
    return f"{server.ui_url}/deployments/detail/?name={name}"


def _open_trigger_form(page):
    page.get_by_role("button", name="Trigger run…").click()
    form = page.get_by_role("form", name=re.compile("^Trigger a run of "))
    expect(form).to_be_visible()
    return form


def _runs_of(server, deployment: str) -> list[dict]:
    answer = server.api.get("/runs", params={"deployment_name": deployment, "limit": 100})
    return answer.raise_for_status().json()["items"]


def test_a_run_triggered_from_the_form_lands_on_its_run_page(page, ui_server) -> None:
    sign_in(page, ui_server)
    page.goto(ui_server.ui_url + "/deployments/")
    row = page.locator('tbody tr[data-deployment="etl-demo"]')
    expect(row).to_contain_text("etl_pipeline")
    expect(row).to_contain_text("development")
    expect(row).to_contain_text("Active")
    check_a11y(page)

    row.get_by_role("link", name="etl-demo").click()
    expect(page.get_by_role("heading", name="Deployment etl-demo")).to_be_visible()
    version = ui_server.api.get("/flows/etl_pipeline/versions/1.0.0").raise_for_status().json()
    expect(page.locator("main")).to_contain_text(version["code_hash"])
    schema = page.get_by_role("table", name="Parameters of the flow")
    expect(schema.get_by_role("rowheader", name="rows")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("finished run"))).to_be_visible(timeout=30_000)
    check_a11y(page)

    form = _open_trigger_form(page)
    rows = form.get_by_label("rows", exact=True)
    expect(rows).to_have_value("10")  # the flow's default
    expect(form.get_by_label("source", exact=True)).to_have_value("demo")
    rows.fill("7")
    check_a11y(page)
    form.get_by_role("button", name="Trigger run", exact=True).click()

    page.wait_for_url(re.compile(r"/ui/runs/detail/\?id=[0-9a-f]+$"), timeout=20_000)
    run_id = page.url.rsplit("=", 1)[1]
    run = ui_server.api.get(f"/runs/{run_id}").raise_for_status().json()
    assert run["deployment_name"] == "etl-demo"
    assert run["parameters"] == {"source": "demo", "rows": 7}, run["parameters"]


def test_a_bad_value_is_refused_at_its_field_and_the_apis_refusal_is_shown(
        page, ui_server, problems) -> None:
    name = ui_server.deploy(PAUSABLE_FLOWS, "pausable_ui", f"pausable-{time.time_ns()}")
    sign_in(page, ui_server)
    page.goto(_detail_url(ui_server, name))
    expect(page.get_by_role("heading", name=f"Deployment {name}")).to_be_visible()

    form = _open_trigger_form(page)
    rows = form.get_by_label("rows", exact=True)
    rows.fill("1.5")
    form.get_by_role("button", name="Trigger run", exact=True).click()
    field = form.locator('[data-param="rows"]')
    expect(field).to_contain_text("Enter a whole number.")
    expect(rows).to_have_attribute("aria-invalid", "true")
    check_a11y(page)
    assert _runs_of(ui_server, name) == []  # refused before any request

    # paused through the page, the API refuses a trigger with its own message
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.locator("main dl")).to_contain_text("Paused")
    problems.allow(r"status of 409")
    rows.fill("3")
    form.get_by_role("button", name="Trigger run", exact=True).click()
    expect(form.get_by_role("alert")).to_contain_text(f"deployment '{name}' is paused")
    assert _runs_of(ui_server, name) == []

    page.get_by_role("button", name="Resume", exact=True).click()
    expect(page.locator("main dl")).to_contain_text("Active")
    form.get_by_role("button", name="Trigger run", exact=True).click()
    page.wait_for_url(re.compile(r"/ui/runs/detail/\?id="), timeout=20_000)
    assert [run["parameters"] for run in _runs_of(ui_server, name)] == [{"rows": 3}]


def test_a_viewer_sees_the_deployment_without_trigger_or_pause(page, ui_server) -> None:
    sign_in(page, ui_server, role="viewer")
    page.goto(_detail_url(ui_server, "etl-demo"))
    expect(page.get_by_role("heading", name="Deployment etl-demo")).to_be_visible()
    expect(page.locator("header")).to_contain_text("viewer")  # GET /me answered
    version = ui_server.api.get("/flows/etl_pipeline/versions/1.0.0").raise_for_status().json()
    expect(page.locator("main")).to_contain_text(version["code_hash"])  # the flow version too
    expect(page.get_by_role("table", name="Parameters of the flow")).to_be_visible()
    expect(page.get_by_role("heading", name="Recent runs")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Trigger"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^(Pause|Resume)$"))).to_have_count(0)
    check_a11y(page)
