"""Regenerate the web UI screenshots of docs/ui.md (docs/images/ui/*.png).

Why a script: the pictures in the docs must show the UI as it is, so one command
(`make ui-screenshots`, i.e. `.venv/bin/python scripts/ui_screenshots.py`) starts a
real `dagy server --demo` on a free loopback port with the current build (ui/out: run
`make ui` first), seeds a schedule, signs in as the admin in Debian's chromium
(/usr/bin/chromium) at 1200x750 and saves each page losslessly squeezed. A page the
build does not have yet is skipped with a note; any other failure stops the script.

    .venv/bin/python scripts/ui_screenshots.py [--only runs,settings] [--out DIR] [--build DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "support"), str(ROOT / "tests" / "browser" / "support")]

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402
from png_squeeze import squeeze_file  # noqa: E402
from ui_browser import PageProblems, launch_chromium, new_page, poll, sign_in  # noqa: E402
from ui_server import UI_BUILD, HarnessError, UiServer, start_ui_server  # noqa: E402

OUT = ROOT / "docs" / "images" / "ui"
DEMO_DEPLOYMENT, DEMO_FLOW, DEMO_VERSION = "etl-demo", "etl_pipeline", "1.0.0"


class Seed:
    """What the pages show: the demo's run and deployment, and one schedule."""

    def __init__(self, server: UiServer) -> None:
        server.wait_for_output("demo: run ", timeout=90)
        api = server.api
        for parameters in ({"source": "crm", "rows": 25}, {"source": "billing", "rows": 5}):
            api.post("/runs", json={"deployment_name": DEMO_DEPLOYMENT,
                                    "parameters": parameters}).raise_for_status()
        poll(lambda: all(run["status"] in ("SUCCEEDED", "FAILED") for run in
                         api.get("/runs", params={"limit": 3}).json()["items"]),
             timeout=60, what="the seeded runs finished")
        self.run_id = api.get("/runs", params={"limit": 1}).raise_for_status().json()[
            "items"][0]["run_id"]
        created = api.post("/schedules", json={
            "deployment_name": DEMO_DEPLOYMENT, "mode": "cron", "cron_expression": "30 6 * * 1-5",
            "timezone": "Europe/Berlin", "parameters": {"source": "crm", "rows": 100}})
        self.schedule_id = created.raise_for_status().json()["schedule_id"]


# name -> (the build's page directory, the URL under /ui given the seed)
PAGES: dict[str, tuple[str, Callable[[Seed], str]]] = {
    "runs": ("runs", lambda s: "/runs/"),
    "run-detail": ("runs/detail", lambda s: f"/runs/detail/?id={s.run_id}"),
    "deployment-detail": ("deployments/detail",
                          lambda s: f"/deployments/detail/?name={DEMO_DEPLOYMENT}"),
    "flow-detail": ("flows/detail",
                    lambda s: f"/flows/detail/?name={DEMO_FLOW}&version={DEMO_VERSION}"),
    "schedule-preview": ("schedules/detail", lambda s: f"/schedules/detail/?id={s.schedule_id}"),
    "settings": ("settings", lambda s: "/settings/"),
}
# pages whose picture starts at a heading further down (the DAG)
SCROLL_TO = {"flow-detail": "Tasks", "run-detail": "Tasks"}


def settle(page: Page) -> None:
    """The page's heading is shown and nothing says "Loading" any more. (Live pages poll
    every 2 s, so the network never goes idle.)"""
    expect(page.locator("main h1").first).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Loading", exact=False)).to_have_count(0, timeout=15_000)
    page.wait_for_timeout(1000)  # layouts (the DAG's ELK) finish drawing


def shoot(server: UiServer, seed: Seed, page: Page, names: list[str], out: Path,
          build: Path) -> list[str]:
    skipped = []
    for name in names:
        folder, url = PAGES[name]
        if not (build / folder / "index.html").is_file():
            print(f"skip {name}: the build has no /{folder}/ page yet")
            skipped.append(name)
            continue
        page.goto(server.ui_url + url(seed))
        settle(page)
        if name in SCROLL_TO:
            page.get_by_role("heading", name=SCROLL_TO[name], exact=True).first.evaluate(
                "(element) => element.scrollIntoView({block: 'start'})")
            page.mouse.move(0, 0)
            page.wait_for_timeout(800)
        target = out / f"{name}.png"
        page.screenshot(path=str(target))
        before, after = squeeze_file(target)
        print(f"{target}: {after // 1024} KiB (was {before // 1024})")
    return skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated page names: " + ", ".join(PAGES))
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--build", type=Path, default=UI_BUILD,
                        help="the UI build to serve (default: ui/out)")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(PAGES)
    unknown = [name for name in names if name not in PAGES]
    if unknown:
        parser.error(f"unknown page(s) {', '.join(unknown)}; pages: {', '.join(PAGES)}")
    args.out.mkdir(parents=True, exist_ok=True)
    problems = PageProblems()
    with tempfile.TemporaryDirectory(prefix="dagy-ui-screenshots-") as workdir:
        try:
            server = start_ui_server(Path(workdir), build=args.build.resolve())
        except HarnessError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        try:
            seed = Seed(server)
            with sync_playwright() as driver:
                browser = launch_chromium(driver)
                page = new_page(browser, problems)
                sign_in(page, server)
                shoot(server, seed, page, names, args.out, args.build.resolve())
                browser.close()
        finally:
            server.close()
    for problem in problems.unexpected():
        print(f"warning: the browser reported {problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
