"""Every page of the UI, as the admin (who sees every action): it renders its heading,
passes axe (no serious or critical violation), and the keyboard reaches every action on
it — each visible, enabled link, button, input, select and textarea takes the focus
by Tab alone, in a bounded number of presses. Console errors fail the test (fixture).

Why a sweep: per-page tests check behaviour; this one makes sure a page added or
changed later keeps the promises every page makes (keyboard, accessibility)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from ui_browser import check_a11y, sign_in

pytestmark = pytest.mark.slow

# every element a person can act on, visible and enabled; React Flow's own pane and
# viewport wrappers are not actions (the nodes inside them are buttons)
_ACTIONS = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex], ' +
    '[role="button"], [role="link"], [role="tab"], [role="checkbox"], [role="menuitem"]';
  const visible = (e) => { const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
  const all = [...document.querySelectorAll(selector)].filter((e) =>
    !e.disabled && e.type !== 'hidden' && !e.matches('[role="region"], [role="group"]') &&
    !e.closest('dialog:not([open])') && !e.closest('[inert]') && visible(e));
  all.forEach((e, i) => e.setAttribute('data-sweep', String(i)));
  return all.map((e) => e.tagName.toLowerCase() + ' ' +
    (e.getAttribute('aria-label') || e.innerText || e.name || e.id || '').trim().slice(0, 60));
}"""
_FOCUSED = "() => document.activeElement?.getAttribute('data-sweep') ?? null"


@pytest.fixture(scope="module")
def pages(ui_server) -> dict[str, str]:
    """Each page's path (under /ui) and the heading it shows, with the objects the detail
    pages need made through the API."""
    api = ui_server.api
    ui_server.wait_for_output("demo: run ")  # the demo's run has finished
    run = api.get("/runs", params={"limit": 1}).raise_for_status().json()["items"][0]
    flow = api.get(f"/flows/{run['flow_name']}").raise_for_status().json()
    schedule = api.post("/schedules", json={
        "deployment_name": run["deployment_name"], "cron_expression": "0 6 * * *",
        "timezone": "Europe/Berlin"}).raise_for_status().json()
    sensor = api.post("/sensors", json={
        "name": f"sweep-{time.time_ns()}", "sensor_type": "webhook",
        "deployment_name": run["deployment_name"], "config": {}}).raise_for_status().json()
    version = flow.get("latest_version") or run["flow_version"]
    return {
        "/runs/": "Runs",
        f"/runs/detail/?id={run['run_id']}": "Run",
        "/deployments/": "Deployments",
        f"/deployments/detail/?name={run['deployment_name']}": run["deployment_name"],
        "/flows/": "Flows",
        f"/flows/detail/?name={run['flow_name']}&version={version}": run["flow_name"],
        "/schedules/": "Schedules",
        "/schedules/new/": "New schedule",
        f"/schedules/detail/?id={schedule['schedule_id']}": "Schedule",
        "/sensors/": "Sensors",
        "/sensors/new/": "New sensor",
        f"/sensors/detail/?id={sensor['sensor_id']}": "Sensor",
        "/settings/": "Settings",
        "/settings/members/": "Members",
        "/settings/invitations/": "Invitations",
        "/settings/api-keys/": "API keys",
        "/settings/secrets/": "Secrets",
        "/settings/environments/": "Environments",
        "/settings/audit/": "Audit log",
        "/settings/account/": "Account",
    }


def test_every_page_passes_axe_and_every_action_takes_the_keyboard_focus(
        page, ui_server, pages) -> None:
    sign_in(page, ui_server)
    unreached: dict[str, list[str]] = {}
    for path, heading in pages.items():
        page.goto(ui_server.ui_url + path)
        expect(page.locator("h1").first).to_contain_text(heading)
        page.wait_for_load_state("networkidle")
        try:
            check_a11y(page)
        except AssertionError as failure:
            raise AssertionError(f"{path}: {failure}") from None
        actions = page.evaluate(_ACTIONS)
        page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
        reached: set[str] = set()
        for _ in range(len(actions) + 15):  # bounded: every action once, plus slack
            page.keyboard.press("Tab")
            focused = page.evaluate(_FOCUSED)
            if focused is not None:
                reached.add(focused)
            if len(reached) == len(actions):
                break
        missing = [name for i, name in enumerate(actions) if str(i) not in reached]
        if missing:
            unreached[path] = missing
    assert not unreached, f"not reachable by Tab: {unreached}"
