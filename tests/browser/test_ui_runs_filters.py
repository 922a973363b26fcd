"""The runs page's filters in a real browser: filtering by status or by deployment shows
only matching runs, the filters live in the URL (a reload, or a shared link, shows the
same filtered view), a time range that matches nothing says so and offers all runs.

The server is shared with other browser tests, so every assertion is about the rows on
screen matching the filter, never about how many runs exist."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from ui_browser import poll, sign_in

pytestmark = pytest.mark.slow

FAILING_DEPLOYMENT = "runs-filter-fails"
FAILING_FLOWS = '''\
from dagy import flow, task


@task
def boom() -> None:
    raise RuntimeError("a planned failure for the runs filter test")


@flow(name="runs_filter_fails", version="1.0.0")
def runs_filter_fails():
    return boom()
'''

_COLUMN = """([header]) => {
    const headers = [...document.querySelectorAll('main thead th')].map((th) => th.textContent.trim());
    const index = headers.indexOf(header);
    if (index < 0) return null;
    return [...document.querySelectorAll('main tbody tr')]
        .map((row) => row.children[index]?.textContent.trim() ?? '');
}"""


@pytest.fixture(scope="module")
def failed_run(ui_server) -> str:
    """A FAILED run of its own deployment next to the demo's SUCCEEDED etl-demo run."""
    ui_server.wait_for_output("demo: run ")
    ui_server.deploy(FAILING_FLOWS, "runs_filter_fails", FAILING_DEPLOYMENT)
    answer = ui_server.api.post("/runs", json={"deployment_name": FAILING_DEPLOYMENT})
    answer.raise_for_status()
    run_id = answer.json()["run_id"]
    poll(lambda: ui_server.api.get(f"/runs/{run_id}").json()["status"] == "FAILED", 60,
         interval=0.2, what=f"run {run_id} FAILED")
    return run_id


def _settled_column(page: Page, header: str) -> list[str]:
    """The column's texts once the table shows the current filters' answer (the previous
    filters' rows stay on screen, marked aria-busy, until it arrives)."""
    def settled():
        if page.locator("main [aria-busy='true']").count():
            return None
        return page.evaluate(_COLUMN, [header]) or None
    return poll(settled, 15, interval=0.1, what=f"a settled '{header}' column")


def _only(page: Page, header: str, value: str) -> None:
    poll(lambda: set(_settled_column(page, header)) == {value}, 15, interval=0.2,
         what=f"only {value!r} in the '{header}' column")


def test_the_status_filter_shows_only_matching_runs_and_survives_a_reload(
        page, ui_server, failed_run) -> None:
    sign_in(page, ui_server)
    expect(page.locator("main tbody tr").first).to_be_visible()
    page.get_by_label("Status", exact=True).select_option("FAILED")
    page.wait_for_url("**/ui/runs/?status=FAILED")
    expect(page.locator(f"main tbody tr[data-run-id='{failed_run}']")).to_be_visible()
    _only(page, "Status", "FAILED")

    page.get_by_label("Status", exact=True).select_option("SUCCEEDED")
    page.wait_for_url("**/ui/runs/?status=SUCCEEDED")
    _only(page, "Status", "SUCCEEDED")
    expect(page.locator(f"main tbody tr[data-run-id='{failed_run}']")).to_have_count(0)

    page.reload()
    expect(page.get_by_label("Status", exact=True)).to_have_value("SUCCEEDED")
    assert page.url.endswith("/ui/runs/?status=SUCCEEDED")
    _only(page, "Status", "SUCCEEDED")


def test_the_deployment_filter_shows_only_its_runs_and_a_shared_link_keeps_it(
        page, ui_server, failed_run) -> None:
    sign_in(page, ui_server)
    deployment = page.get_by_label("Deployment", exact=True)
    expect(deployment.locator(f"option[value='{FAILING_DEPLOYMENT}']")).to_have_count(1)
    deployment.select_option(FAILING_DEPLOYMENT)
    page.wait_for_url(f"**/ui/runs/?deployment={FAILING_DEPLOYMENT}")
    _only(page, "Deployment", FAILING_DEPLOYMENT)
    expect(page.locator(f"main tbody tr[data-run-id='{failed_run}']")).to_be_visible()
    expect(page.get_by_role("link", name=FAILING_DEPLOYMENT).first).to_have_attribute(
        "href", f"/ui/deployments/detail/?name={FAILING_DEPLOYMENT}")

    page.reload()
    expect(page.get_by_label("Deployment", exact=True)).to_have_value(FAILING_DEPLOYMENT)
    _only(page, "Deployment", FAILING_DEPLOYMENT)

    # a link someone shared: both filters at once, straight from the URL
    page.goto(ui_server.ui_url + "/runs/?status=SUCCEEDED&deployment=etl-demo")
    expect(page.get_by_label("Status", exact=True)).to_have_value("SUCCEEDED")
    expect(page.get_by_label("Deployment", exact=True)).to_have_value("etl-demo")
    _only(page, "Deployment", "etl-demo")
    _only(page, "Status", "SUCCEEDED")


def test_a_range_without_runs_says_so_and_clearing_shows_all_runs(
        page, ui_server, failed_run) -> None:
    sign_in(page, ui_server)
    page.get_by_label("Created", exact=True).select_option("custom")
    page.get_by_label("From (local time)").fill("2001-01-01T00:00")
    page.get_by_label("To (local time, optional)").fill("2001-01-02T00:00")
    # the browser runs in UTC (the page fixture), so the URL holds the same wall-clock times
    page.wait_for_url("**/ui/runs/?since=2001-01-01T00%3A00%3A00.000Z"
                      "&until=2001-01-02T00%3A00%3A00.000Z")
    expect(page.get_by_text("No runs match these filters.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("From (local time)")).to_have_value("2001-01-01T00:00")
    expect(page.get_by_text("No runs match these filters.")).to_be_visible()

    page.get_by_role("button", name="Show all runs").click()
    page.wait_for_url("**/ui/runs/")
    expect(page.locator(f"main tbody tr[data-run-id='{failed_run}']")).to_be_visible()
    expect(page.get_by_label("Created", exact=True)).to_have_value("")
