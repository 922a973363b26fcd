"""The browser side of the UI tests: Debian's chromium driven by Playwright, a watch on
each page's console errors, uncaught errors and CSP violations, sign-in as a person of
a role, axe-core accessibility checks and bounded waits.

Why one module: the browser tests (tests/browser) and the docs screenshots
(scripts/ui_screenshots.py) drive the UI the same way. Playwright's own browsers are
never downloaded: /usr/bin/chromium (apt) is the browser. All network stays on
127.0.0.1: any other request is aborted and reported as a problem.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Route, expect

from ui_server import ROOT, HarnessError, UiServer, person_of_role

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "ui" / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORT = {"width": 1200, "height": 750}
ACTION_MS, NAVIGATION_MS = 10_000, 20_000
BLOCKING_IMPACTS = ("serious", "critical")


def launch_chromium(playwright: Playwright) -> Browser:
    if not CHROMIUM.exists():
        raise HarnessError(f"{CHROMIUM} is missing: install Debian's chromium "
                           "(apt-get install chromium); Playwright's own browsers are not used")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=["--no-proxy-server", "--disable-extensions"])


@dataclass
class PageProblems:
    """What went wrong in the browser while a test ran. A test allows a known problem
    with allow(regex) (e.g. the 401 a wrong password answers)."""

    problems: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def add(self, kind: str, text: str) -> None:
        self.problems.append(f"{kind}: {text}")

    def unexpected(self) -> list[str]:
        return [p for p in self.problems if not any(a.search(p) for a in self.allowed)]

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.add("console error", f"{message.text} ({where})" if where else message.text)


# Runs in every document before its own scripts: CSP violations go to the test.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__dagyCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} ` +
                            `at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""


def new_page(browser: Browser, problems: PageProblems) -> Page:
    """A fresh context and page (own sessionStorage), watched by `problems`."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US", timezone_id="UTC",
                                  service_workers="block")
    context.set_default_timeout(ACTION_MS)
    context.set_default_navigation_timeout(NAVIGATION_MS)

    def loopback_only(route: Route) -> None:
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", None) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            problems.add("off-loopback request", route.request.url)
            route.abort()

    context.route("**/*", loopback_only)
    context.expose_function("__dagyCspViolation", lambda text: problems.add("CSP", text))
    context.add_init_script(_CSP_LISTENER)
    page = context.new_page()
    page.on("console", problems.on_console)
    page.on("pageerror", lambda error: problems.add("page error", _with_stack(error)))
    return page


def _with_stack(error) -> str:
    """An uncaught error's message and the first frames of its stack (where it came from)."""
    frames = [line.strip() for line in (error.stack or "").splitlines()[1:4]]
    return " | ".join([str(error), *frames])


def wait_for_text(page: Page, text: str, timeout: float = 10.0, *, within: str = "body") -> None:
    """Until `text` is visible inside the first `within` element, at most `timeout` s."""
    expect(page.locator(within).first.get_by_text(text).first).to_be_visible(
        timeout=timeout * 1000)


def sign_in(page: Page, server: UiServer, role: str = "admin") -> str:
    """Sign in through the password form as a person would; lands on the runs page.

    role="admin": the first-start account admin@localhost (it is the org's owner, so
    it holds every permission); any other role ("developer", "operator", "viewer"):
    a person invited with that role and joined with a password (person_of_role).
    Returns the email signed in with."""
    if role in ("admin", "owner"):
        email, password = server.admin_email, server.admin_password
    else:
        email, password = person_of_role(server, role)
    page.goto(server.ui_url + "/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/ui/runs/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return email


def sign_in_with_api_key(page: Page, server: UiServer, api_key: str) -> None:
    page.goto(server.ui_url + "/login/")
    page.get_by_label("API key", exact=True).fill(api_key)
    page.get_by_role("button", name="Use API key").click()
    page.wait_for_url("**/ui/runs/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def check_a11y(page: Page, *, context: str | None = None, disable: tuple[str, ...] = ()) -> list:
    """Run axe-core (the UI's own pinned copy) on the page; fail on any serious or
    critical violation, printed one per line with the elements concerned. Returns the
    minor and moderate ones. The script goes in through the DevTools protocol, so the
    page's CSP (no inline scripts) neither blocks nor reports it."""
    if not AXE_JS.exists():
        raise HarnessError(f"{AXE_JS} is missing: run `cd ui && npm ci` (or `make ui`)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    options = {"resultTypes": ["violations"],
               "rules": {rule: {"enabled": False} for rule in disable}}
    results = page.evaluate("([ctx, options]) => window.axe.run(ctx || document, options)",
                            [context, options])
    violations = results["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        raise AssertionError(f"axe: {len(blocking)} serious/critical violation(s) on "
                             f"{page.url}:\n" + "\n".join(_describe(v) for v in blocking))
    return [v for v in violations if v not in blocking]


def _describe(violation: dict) -> str:
    nodes = violation.get("nodes", [])
    targets = "; ".join(" ".join(map(str, node.get("target", []))) for node in nodes[:5])
    more = f" (+{len(nodes) - 5} more)" if len(nodes) > 5 else ""
    summary = nodes[0].get("failureSummary", "").replace("\n", " ") if nodes else ""
    return (f"  [{violation['impact']}] {violation['id']}: {violation['help']} -> "
            f"{targets}{more}. {summary} ({violation.get('helpUrl', '')})")


def focus_order(page: Page, presses: int) -> list[str]:
    """Press Tab `presses` times from the top of the page; what took the focus each
    time, as 'role-ish name' strings ("a Runs", "button Sign out")."""
    page.locator("body").focus()
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                  "window.scrollTo(0, 0); }")
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(
            "() => { const e = document.activeElement; if (!e || e === document.body) "
            "return 'body'; return e.tagName.toLowerCase() + ' ' + "
            "(e.getAttribute('aria-label') || e.innerText || e.value || '').trim(); }"))
    return seen


def save_screenshot(page: Page, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), timeout=ACTION_MS)


def poll(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    """predicate()'s first truthy value within `timeout` s, else a failure naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached in {timeout}s")
        time.sleep(interval)
