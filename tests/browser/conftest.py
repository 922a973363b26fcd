"""Fixtures of the browser tests: a real `dagy server --demo` serving ui/out (one per
xdist worker), Debian's chromium through Playwright, and a watched page per test.

Why: the web UI's promises (sign-in, live runs, keyboard, accessibility, a strict CSP)
only show in a real browser against a real server. A test fails — never skips — when
the build (`make ui`) or /usr/bin/chromium is missing. Each test's page ends with a
screenshot in test-output/screenshots/<test>.png and fails on any console error,
uncaught error or CSP violation it did not allow (`problems.allow(regex)`).

Helpers for tests: sign_in(page, server, role), sign_in_with_api_key, check_a11y(page),
wait_for_text(page, text), focus_order (tests/browser/support/ui_browser.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "support"))

from ui_browser import PageProblems, launch_chromium, new_page, save_screenshot  # noqa: E402
from ui_server import ROOT, UI_BUILD, HarnessError, UiServer, start_ui_server  # noqa: E402

SCREENSHOTS = ROOT / "test-output" / "screenshots"


def pytest_addoption(parser) -> None:
    parser.addoption("--ui-build", type=Path, default=None,
                     help="the web UI build the browser tests serve (default: ui/out)")


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory, pytestconfig) -> UiServer:
    """`dagy server --demo` on a free 127.0.0.1 port with the admin's known password.
    .base_url, .ui_url, .admin_email, .admin_password, .api (httpx, signed in as admin),
    .dagy(...) (CLI commands against it)."""
    try:
        build = pytestconfig.getoption("ui_build", default=None) or UI_BUILD
        server = start_ui_server(tmp_path_factory.mktemp("ui_server"), build=build.resolve())
    except HarnessError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.close()


# Module scope, not session: while Playwright's sync driver is up, its event loop is
# this thread's running loop, and every later test in the same worker that calls
# asyncio.run() (the SDK's async tasks, the Lambda handlers) would fail.
@pytest.fixture(scope="module")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright_driver):
    try:
        launched = launch_chromium(playwright_driver)
    except HarnessError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield launched
    launched.close()


@pytest.fixture
def problems() -> PageProblems:
    """The page's console errors, uncaught errors and CSP violations; allow(regex)."""
    return PageProblems()


@pytest.fixture
def page(browser, problems, request):
    page = new_page(browser, problems)
    yield page
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    try:
        if not page.is_closed():
            save_screenshot(page, SCREENSHOTS / f"{name}.png")
    finally:
        page.context.close()
    unexpected = problems.unexpected()
    assert not unexpected, "the browser reported:\n" + "\n".join(unexpected)
