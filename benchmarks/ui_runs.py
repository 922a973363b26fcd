"""The web UI's Runs page on a control plane holding 10,000 runs.

1. Starts `dagy server --demo` on a free loopback port with a fresh DAGY_HOME (the
   etl-demo deployment and its run), stops it, and writes 10,000 finished runs spread over
   the last 7 days straight into its database through the SQL run repository (one
   executemany per 1,000 runs: seconds, where 10,000 POST /runs would also execute them).
2. Starts the server again on that database, serving the built UI (ui/out, or
   DAGY_UI_DIR: `make ui` first).
3. Signs in through the sign-in form with Debian's chromium (Python playwright), then
   measures the time from the start of a navigation to /ui/runs/ until the first frame
   that shows a table row: median of 5 cold navigations (a new browser context each: an
   empty HTTP cache) and 5 warm ones (one context, after one navigation to fill its
   cache), with the GET /runs request of each navigation as the browser timed it.
4. Times GET /runs as the page calls it (limit=50) from Python: the first page, the
   second page (cursor), and the page's filters (status, deployment, last 24 h).

Run: .venv/bin/python benchmarks/ui_runs.py [--runs 10000] [--repeat 5] [--port N] [--home DIR]
It prints figures; it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from support import CHROMIUM, EMAIL, PASSWORD, built_ui, call as request, free_port, sign_in
from support import ui_server, wait_until

FIRST_ROW = "() => document.querySelector('main table tbody tr') ? performance.now() : null"


def seed_runs(home: Path, count: int) -> tuple[float, list[str]]:
    """`count` finished runs over the last 7 days in the demo's org; seconds taken."""
    from sqlalchemy import select

    from dagy.adapters.sql.engine import make_engine
    from dagy.adapters.sql.tables import runs as run_rows
    from dagy.adapters.sql.uow import SqlUnitOfWork
    from dagy.domain.runs import Run, TriggerSource
    from dagy.domain.states import RunStatus

    engine = make_engine(f"sqlite:///{home / 'dagy.db'}")
    with engine.connect() as conn:
        demo = conn.execute(select(run_rows.c.org_id, run_rows.c.flow_name,
                                   run_rows.c.flow_version)).first()
    if demo is None:
        sys.exit("the demo run is missing: did `dagy server --demo` deploy etl-demo?")
    org_id, flow_name, flow_version = demo
    deployments = ["etl-demo", "nightly-report", "hourly-sync", "ml-train"]
    statuses = [RunStatus.SUCCEEDED] * 16 + [RunStatus.FAILED] * 3 + [RunStatus.CANCELLED]
    sources = list(TriggerSource)
    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    span = timedelta(days=7).total_seconds()
    started = time.perf_counter()
    batch: list[Run] = []
    for i in range(count):
        created = now - timedelta(seconds=span * i / count + 60)
        begun = created + timedelta(seconds=rng.uniform(0.05, 2))
        status = rng.choice(statuses)
        batch.append(Run(
            run_id=uuid.uuid4().hex, org_id=org_id, flow_name=flow_name, flow_version=flow_version,
            status=status, deployment_name=rng.choice(deployments), run_slug=f"bench-{i:05d}",
            executor="local", runtime_tier="standard", parameters={"n": i},
            created_at=created, started_at=begun,
            completed_at=begun + timedelta(seconds=rng.uniform(0.1, 90)),
            error_message="benchmark: a seeded failure" if status is RunStatus.FAILED else None,
            result={"rows": i} if status is RunStatus.SUCCEEDED else None,
            trigger_source=rng.choice(sources), version=2))
        if len(batch) == 1000 or i == count - 1:
            with SqlUnitOfWork(engine) as uow:
                uow.runs.add_many(batch)
                uow.commit()
            batch = []
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, deployments


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def time_get(url: str, token: str, repeat: int) -> tuple[float, float, int]:
    """Median and p95 in ms of `repeat` calls after one unmeasured, and the items answered."""
    items = len(request(url, token)["items"])
    took = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        request(url, token)
        took.append((time.perf_counter() - t0) * 1000)
    return statistics.median(took), percentile(took, 95), items


def sign_in_form(browser, base: str) -> dict:
    """Signs in as a person would; returns the tab's stored credentials."""
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, base)
    page.wait_for_function(FIRST_ROW, polling="raf", timeout=30_000)
    credentials = json.loads(page.evaluate("sessionStorage.getItem('dagy.credentials')"))
    context.close()
    return credentials


def signed_in_context(browser, credentials: dict):
    """A new context (empty cache) whose tabs start signed in: credentials are per tab."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(
        f"sessionStorage.setItem('dagy.credentials', {json.dumps(json.dumps(credentials))});")
    return context


def navigate(page, base: str) -> dict[str, float]:
    """ms from navigation start: to the first frame with a table row, to the document's
    DOMContentLoaded, and to the start and end of the page's first GET /runs."""
    page.goto(f"{base}/ui/runs/", wait_until="commit")
    first_row = page.wait_for_function(FIRST_ROW, polling="raf", timeout=30_000).json_value()
    timings = page.evaluate("""() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const runs = performance.getEntriesByType('resource')
            .find((e) => /\\/runs\\?/.test(e.name));
        return { dcl: nav ? nav.domContentLoadedEventEnd : NaN,
                 runs_start: runs ? runs.startTime : NaN, runs_end: runs ? runs.responseEnd : NaN };
    }""")
    return {"row": first_row, **timings}


def browser_figures(base: str, repeat: int) -> dict[str, list[dict[str, float]]]:
    from playwright.sync_api import sync_playwright

    figures: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            credentials = sign_in_form(browser, base)
            for _ in range(repeat):
                context = signed_in_context(browser, credentials)
                figures["cold"].append(navigate(context.new_page(), base))
                context.close()
            context = signed_in_context(browser, credentials)
            page = context.new_page()
            navigate(page, base)  # fills the context's cache
            for _ in range(repeat):
                figures["warm"].append(navigate(page, base))
            context.close()
        finally:
            browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="navigations per figure")
    parser.add_argument("--port", type=int, default=0, help="default: a free loopback port")
    parser.add_argument("--home", type=Path, help="a new DAGY_HOME to create (default: a temp dir)")
    args = parser.parse_args()
    ui_dir = built_ui()
    if args.home and args.home.exists():
        sys.exit(f"{args.home} exists: the benchmark needs a fresh DAGY_HOME")
    home = args.home or Path(tempfile.mkdtemp(prefix="dagy-bench-ui-"))
    home.mkdir(parents=True, exist_ok=True)
    port = args.port or free_port()
    server = None
    try:
        demo = ui_server(home, port, ui_dir, "--demo")
        wait_until(lambda: "SUCCEEDED" in (home / "server-0.log").read_text(), 60)
        demo.stop()
        seed_seconds, deployments = seed_runs(home, args.runs)
        server = ui_server(home, port, ui_dir, "--no-demo")
        api = server.api
        login = {"email": EMAIL, "password": PASSWORD}
        token = request(f"{api}/auth/login", body=login)["access_token"]
        first = request(f"{api}/runs?limit=50", token)
        since = (datetime.now(timezone.utc) - timedelta(hours=24)).isoformat()
        calls = {
            "first page": "limit=50",
            "second page": f"limit=50&cursor={urllib.parse.quote(first['next_cursor'])}",
            "status=FAILED": "limit=50&status=FAILED",
            f"deployment={deployments[0]}": f"limit=50&deployment_name={deployments[0]}",
            "last 24 h": f"limit=50&created_after={urllib.parse.quote(since)}",
            "FAILED, 1 deployment, 24 h": f"limit=50&status=FAILED&deployment_name={deployments[0]}"
                                          f"&created_after={urllib.parse.quote(since)}",
        }
        api_figures = {name: time_get(f"{api}/runs?{query}", token, 20)
                       for name, query in calls.items()}
        figures = browser_figures(api, args.repeat)
        load = os.getloadavg()
    finally:
        if server:
            server.stop()
        shutil.rmtree(home, ignore_errors=True)

    print(f"seeded {args.runs:,} runs in {seed_seconds:.2f} s "
          "(SQL run repository, 1,000 per statement)")
    print(f"GET /runs (limit=50), median / p95 of 20 calls from Python:")
    for name, (median, p95, items) in api_figures.items():
        print(f"  {name:<28} {median:7.1f} ms / {p95:7.1f} ms  ({items} runs)")
    for kind, navigations in figures.items():
        median = {key: statistics.median(n[key] for n in navigations) for key in navigations[0]}
        rows = [n["row"] for n in navigations]
        print(f"/ui/runs/ {kind}: first table row {median['row']:.0f} ms after navigation start "
              f"(median of {len(rows)}; {min(rows):.0f}-{max(rows):.0f} ms); DOMContentLoaded "
              f"{median['dcl']:.0f} ms; its GET /runs "
              f"{median['runs_start']:.0f}-{median['runs_end']:.0f} ms "
              f"({median['runs_end'] - median['runs_start']:.0f} ms in the browser)")
    print(f"load average while measuring: {load[0]:.1f} on {os.cpu_count()} CPUs")

if __name__ == "__main__":
    main()
