"""The web UI in a real browser against a real `dagy server --demo`: signing in with a
password or an API key lands on the runs page with the demo run, a run's status changes
on screen within one poll of the change, the header is usable by keyboard, a wrong
password shows the API's message, and the sign-in, runs and not-found pages pass axe
with no console errors (the `page` fixture fails a test on any)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect
from ui_browser import (check_a11y, focus_order, poll, sign_in, sign_in_with_api_key,
                        wait_for_text)
from ui_server import ROOT, api_key_of_role

pytestmark = pytest.mark.slow

# The runs page asks every 2 s, so a change shows by the next answer: one poll, plus the
# request and the render on a busy machine (two test workers, a server each).
POLL_S, SLACK_S = 2.0, 1.0
SLOW_FLOWS = '''\
import time

from dagy import flow, task


@task
def wait(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@flow(name="slow_ui", version="1.0.0")
def slow_ui(seconds: float = 5.0):
    return wait(seconds)
'''


def _main_nav_labels() -> list[str]:
    """The main navigation's links, in order, from ui/src/lib/nav.ts (planned ones are
    not links)."""
    source = (ROOT / "ui" / "src" / "lib" / "nav.ts").read_text(encoding="utf-8")
    items = re.findall(r"\{\s*label:\s*\"([^\"]+)\",\s*href:\s*\"[^\"]+\"(,\s*planned:\s*true)?",
                       source)
    assert items, "no NAV_ITEMS found in ui/src/lib/nav.ts"
    return [label for label, planned in items if not planned]


def _demo_row(page):
    return page.locator("tbody tr", has_text="etl-demo").first


def test_password_sign_in_lands_on_the_runs_page_with_the_demo_run(page, ui_server) -> None:
    page.goto(ui_server.ui_url + "/login/")
    expect(page.get_by_role("heading", name="Sign in to Dagy")).to_be_visible()
    check_a11y(page)
    sign_in(page, ui_server)
    expect(page.get_by_role("heading", name="Runs", exact=True)).to_be_visible()
    expect(_demo_row(page)).to_contain_text("SUCCEEDED", timeout=60_000)  # the demo's run
    expect(page.locator("header")).to_contain_text("owner")
    check_a11y(page)


def test_api_key_sign_in_acts_with_the_keys_role(page, ui_server) -> None:
    sign_in_with_api_key(page, ui_server, api_key_of_role(ui_server, "viewer"))
    expect(page.locator("header")).to_contain_text("viewer")
    expect(_demo_row(page)).to_be_visible(timeout=60_000)


def test_a_wrong_password_shows_the_apis_message(page, ui_server, problems) -> None:
    refused = ui_server.api.post("/auth/login", json={"email": ui_server.admin_email,
                                                      "password": "not the password"},
                                 headers={"Authorization": ""})
    assert refused.status_code == 401
    message = refused.json()["error"]["message"]
    problems.allow(r"status of 401 \(Unauthorized\)")  # the browser logs the refused POST
    page.goto(ui_server.ui_url + "/login/")
    page.get_by_label("Email", exact=True).fill(ui_server.admin_email)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("form", name="Sign in with email").get_by_role("alert")).to_have_text(
        message)
    assert page.url.endswith("/ui/login/")
    check_a11y(page)


@pytest.fixture(scope="module")
def slow_deployment(ui_server) -> str:
    """A deployment whose run takes a few seconds (one task sleeping)."""
    return ui_server.deploy(SLOW_FLOWS, "slow_ui", "slow-ui")


def test_a_runs_status_changes_on_screen_within_one_poll(page, ui_server,
                                                         slow_deployment) -> None:
    sign_in(page, ui_server)
    triggered = ui_server.api.post("/runs", json={"deployment_name": slow_deployment,
                                                  "parameters": {"seconds": 5}})
    assert triggered.status_code == 202, triggered.text
    run_id = triggered.json()["run_id"]
    row = page.locator(f'tr[data-run-id="{run_id}"]')
    expect(row).to_be_visible(timeout=2 * (POLL_S + SLACK_S) * 1000)  # a poll may be in flight
    expect(row).to_contain_text(re.compile("QUEUED|RUNNING"))

    for status in ("RUNNING", "SUCCEEDED"):
        poll(lambda: ui_server.api.get(f"/runs/{run_id}").json()["status"] == status,
             timeout=30, interval=0.05, what=f"run {run_id} {status} in the API")
        changed = time.monotonic()
        expect(row).to_contain_text(status, timeout=(POLL_S + SLACK_S) * 1000)
        assert time.monotonic() - changed <= POLL_S + SLACK_S


def test_tab_from_the_top_reaches_the_skip_link_every_nav_link_and_sign_out(
        page, ui_server) -> None:
    sign_in(page, ui_server)
    wanted = ["a Skip to content", *(f"a {label}" for label in _main_nav_labels()),
              "button Sign out"]
    seen = focus_order(page, len(wanted))
    assert seen == wanted, seen
    for _ in range(len(wanted) - 1):  # and back, with Shift+Tab
        page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_the_not_found_page_passes_axe(page, ui_server) -> None:
    page.goto(ui_server.ui_url + "/404.html")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the runs")).to_have_attribute("href",
                                                                                "/ui/runs/")
    check_a11y(page)


def test_an_unknown_page_shows_the_not_found_page(page, problems, ui_server) -> None:
    sign_in(page, ui_server)
    problems.allow(r"status of 404 .*/ui/nope/")  # the page itself answers 404, on purpose
    answer = page.goto(ui_server.ui_url + "/nope/")
    assert answer is not None and answer.status == 404
    wait_for_text(page, "Page not found", timeout=5)
