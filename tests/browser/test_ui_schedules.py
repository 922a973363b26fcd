"""The Schedules and Sensors pages in a real browser against a real `dagy server --demo`:
a cron schedule created from the form shows its next 10 slots on the zone's clock and
in UTC with the spring DST change marked; the API's 422 shows under the form; a webhook
sensor's URL is shown once, works, and is on no page after; a viewer gets no actions.
Every page here passes axe and logs no console error beyond those allowed."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import expect
from ui_browser import check_a11y, sign_in, sign_in_with_api_key
from ui_server import api_key_of_role

pytestmark = pytest.mark.slow

DEMO_DEPLOYMENT = "etl-demo"


def _unique(prefix: str) -> str:
    return f"{prefix}{time.time_ns()}"


def test_a_schedule_from_the_form_previews_ten_slots_with_the_dst_change(page, ui_server, problems) -> None:
    sign_in(page, ui_server)
    page.goto(ui_server.ui_url + "/schedules/")
    expect(page.get_by_role("heading", name="Schedules", exact=True)).to_be_visible()
    page.get_by_role("link", name="New schedule").click()
    expect(page.get_by_role("heading", name="New schedule")).to_be_visible()
    check_a11y(page)

    page.get_by_label("Deployment", exact=True).select_option(DEMO_DEPLOYMENT)
    page.get_by_label("Cron expression", exact=True).fill("0 0 31 2 *")  # never matches
    problems.allow(r"status of 422 .*\(http://127\.0\.0\.1:\d+/schedules\)$")
    page.get_by_role("button", name="Create schedule").click()
    expect(page.get_by_role("alert").filter(has_text="never matches")).to_be_visible()

    page.get_by_label("Cron expression", exact=True).fill("30 2 * * *")
    page.get_by_label("Time zone", exact=True).select_option("Europe/Berlin")
    page.get_by_label("Start (optional)", exact=True).fill("2027-03-25T00:00")
    page.get_by_role("button", name="Create schedule").click()
    page.wait_for_url("**/ui/schedules/detail/?id=*")

    preview = page.get_by_test_id("schedule-preview")
    rows = preview.locator("tbody tr")
    expect(rows).to_have_count(10)
    expect(rows.nth(0)).to_contain_text("2027-03-25 02:30:00 +01:00")
    expect(rows.nth(0)).to_contain_text("2027-03-25 01:30:00Z")
    # 02:30 does not exist on 2027-03-28 in Berlin: shifted to 03:00 CEST, and marked
    expect(rows.nth(3)).to_contain_text("2027-03-28 03:00:00 +02:00")
    expect(rows.nth(3)).to_contain_text("2027-03-28 01:00:00Z")
    expect(rows.nth(3)).to_contain_text("DST: clocks moved forward (+01:00 → +02:00)")
    expect(preview.get_by_text("DST:")).to_have_count(1)
    check_a11y(page)

    page.goto(ui_server.ui_url + "/schedules/")
    row = page.locator("tbody tr", has_text="Europe/Berlin").first
    expect(row).to_contain_text("30 2 * * *")
    expect(row).to_contain_text("2027-03-25 02:30:00 +01:00")
    check_a11y(page)


def test_a_webhook_sensor_shows_its_url_once(page, ui_server) -> None:
    sign_in(page, ui_server)
    page.goto(ui_server.ui_url + "/sensors/new/")
    expect(page.get_by_role("heading", name="New sensor")).to_be_visible()
    check_a11y(page)
    name = _unique("browser-hook-")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Deployment", exact=True).select_option(DEMO_DEPLOYMENT)
    page.get_by_label("Type", exact=True).select_option("webhook")
    page.get_by_role("button", name="Create sensor").click()

    shown = page.get_by_test_id("webhook-credential")
    expect(shown).to_contain_text("not shown again")
    url = shown.locator("code").first.inner_text().strip()
    assert url.startswith(ui_server.base_url + "/hooks/"), url
    token = url.rsplit("/", 1)[1]
    check_a11y(page)

    delivered = httpx.post(url, json={}, timeout=20, trust_env=False)
    assert delivered.status_code == 202, delivered.text

    page.get_by_role("link", name="Open the sensor").click()
    expect(page.get_by_role("heading", name="Sensor", exact=True)).to_be_visible()
    expect(page.locator("dd").first).to_have_text(name)
    assert token not in page.content()
    check_a11y(page)
    page.goto(ui_server.ui_url + "/sensors/")
    expect(page.locator("tbody tr", has_text=name)).to_contain_text("webhook")
    assert token not in page.content()


def test_a_viewer_sees_schedules_and_sensors_without_actions(page, ui_server) -> None:
    ui_server.api.post("/schedules", json={"deployment_name": DEMO_DEPLOYMENT, "mode": "interval",
                                           "interval_seconds": 3600}).raise_for_status()
    sign_in_with_api_key(page, ui_server, api_key_of_role(ui_server, "viewer"))
    page.goto(ui_server.ui_url + "/schedules/")
    expect(page.locator("tbody tr", has_text="every 3600 s").first).to_be_visible()
    expect(page.get_by_role("link", name="New schedule")).to_have_count(0)
    expect(page.get_by_role("button", name="Disable")).to_have_count(0)
    check_a11y(page)
    page.goto(ui_server.ui_url + "/sensors/")
    expect(page.get_by_role("heading", name="Sensors", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="New sensor")).to_have_count(0)
    check_a11y(page)
