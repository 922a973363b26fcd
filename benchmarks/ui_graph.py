"""The web UI's DAG graph with 1,000 tasks whose states change while you watch.

1. Starts `dagy server` on a free loopback port with a fresh DAGY_HOME, serving the built
   UI (ui/out, or DAGY_UI_DIR: `make ui` first), and deploys `chains_1000`: 10 chains of
   100 tasks, each tenth step also waiting on the neighbouring chain (fan-in), every task
   sleeping --task-seconds (0.1 s) so a run stays live for a while.
2. Signs in through the sign-in form with Debian's chromium (Python playwright), opens
   the Flows page of that version and times navigation start -> the graph's first node
   (ELK's layout of 1,000 nodes included).
3. Triggers a run, opens its run page (the same DagGraph, task states polled every 2 s)
   and, for --seconds while the run is RUNNING, counts animation frames: frames per
   second, the longest frame, frames over 50 ms, and how many task nodes changed state
   in that time (so the figure is taken while the graph is really updating).

Run: .venv/bin/python benchmarks/ui_graph.py [--seconds 10] [--task-seconds 0.1] [--port N]
It prints figures; it is a benchmark, not a test. UI_GRAPH_PROFILE=<file.json> also writes
a DevTools CPU profile of the run page while the frames are counted (where the time goes:
the graph, or the page's other parts).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import tomllib
from pathlib import Path

from support import BIN, CHROMIUM, built_ui, call, free_port, sign_in, ui_server, wait_until

FLOW = '''\
"""10 chains of 100 sleeping tasks with fan-in every tenth step (benchmarks/ui_graph.py)."""

import time

from dagy import flow, task


@task
def step(*_upstream):
    time.sleep({delay})


@flow(name="chains_1000", version="1.0.0")
def chains_1000():
    prev = [step() for _ in range(10)]
    for j in range(1, 100):
        prev = [step(prev[i], prev[(i + 1) % 10]) if j % 10 == 0 else step(prev[i])
                for i in range(10)]
    return prev
'''

# Counts frames and, through a MutationObserver, state changes of task nodes.
FRAME_PROBE = """(seconds) => new Promise((resolve) => {
  const frames = []; let changes = 0;
  const observer = new MutationObserver((records) => { changes += records.length; });
  const graph = document.querySelector('[data-testid=dag-graph]');
  observer.observe(graph, { subtree: true, childList: true, characterData: true,
                            attributes: true, attributeFilter: ['class'] });
  const end = performance.now() + seconds * 1000;
  const tick = (t) => {
    frames.push(t);
    if (t < end) requestAnimationFrame(tick);
    else { observer.disconnect(); resolve({ frames, changes }); }
  };
  requestAnimationFrame(tick);
})"""

FIRST_NODE = "() => document.querySelector('[data-testid=dag-graph] [data-task-id]') ? performance.now() : null"


def deploy(home: Path, env: dict, delay: float) -> None:
    source = home / "chains_flows.py"
    source.write_text(FLOW.replace("{delay}", repr(delay)))
    built = subprocess.run([str(BIN / "dagy"), "build", f"{source}:chains_1000", "--output-dir",
                            str(home / "dist")], env=env, check=True, capture_output=True,
                           text=True).stdout.split()[-1]
    subprocess.run([str(BIN / "dagy"), "deploy", built, "--deployment", "chains"], env=env,
                   check=True, capture_output=True)


def frame_figures(frames: list[float]) -> dict[str, float]:
    gaps = [b - a for a, b in zip(frames, frames[1:])]
    span = (frames[-1] - frames[0]) / 1000 if len(frames) > 1 else 0
    return {"fps": (len(frames) - 1) / span if span else 0.0, "longest": max(gaps, default=0.0),
            "over_50ms": sum(1 for g in gaps if g > 50), "frames": len(frames)}


def measure(api: str, key: str, seconds: float) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            sign_in(page, api)

            page.goto(f"{api}/ui/flows/detail/?name=chains_1000&version=1.0.0", wait_until="commit")
            static_ms = page.wait_for_function(FIRST_NODE, polling="raf", timeout=120_000).json_value()
            static_nodes = page.locator("[data-testid=dag-graph] [data-task-id]").count()
            idle = frame_figures(page.evaluate(FRAME_PROBE, 3)["frames"])

            run = call(f"{api}/runs", key, body={"deployment_name": "chains"})
            page.goto(f"{api}/ui/runs/detail/?id={run['run_id']}", wait_until="commit")
            run_ms = page.wait_for_function(FIRST_NODE, polling="raf", timeout=120_000).json_value()
            wait_until(lambda: call(f"{api}/runs/{run['run_id']}", key)["status"] == "RUNNING", 60)
            profile = os.environ.get("UI_GRAPH_PROFILE")
            if profile:
                cdp = page.context.new_cdp_session(page)
                cdp.send("Profiler.enable"); cdp.send("Profiler.start")
            probe = page.evaluate(FRAME_PROBE, seconds)
            if profile:
                Path(profile).write_text(json.dumps(cdp.send("Profiler.stop")["profile"]))
            status = call(f"{api}/runs/{run['run_id']}", key)["status"]
            live = frame_figures(probe["frames"])
        finally:
            browser.close()
    return {"static_ms": static_ms, "static_nodes": static_nodes, "idle": idle, "run_ms": run_ms,
            "live": live, "changes": probe["changes"], "status_after": status, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="how long to count frames")
    parser.add_argument("--task-seconds", type=float, default=0.1, help="each task's sleep")
    parser.add_argument("--port", type=int, default=0, help="default: a free loopback port")
    args = parser.parse_args()
    ui_dir = built_ui()
    home = Path(tempfile.mkdtemp(prefix="dagy-bench-graph-"))
    server = None
    try:
        server = ui_server(home, args.port or free_port(), ui_dir, "--no-demo")
        key = tomllib.loads((home / "profiles.toml").read_text())["local"]["api_key"]
        deploy(home, server.env, args.task_seconds)
        figures = measure(server.api, key, args.seconds)
        load = os.getloadavg()
    finally:
        if server:
            server.stop()
        shutil.rmtree(home, ignore_errors=True)

    idle, live = figures["idle"], figures["live"]
    print(f"Flows page, chains_1000 (1,000 tasks): first node {figures['static_ms']:.0f} ms after "
          f"navigation start (ELK layout included); {figures['static_nodes']} nodes drawn")
    print(f"  idle: {idle['fps']:.1f} frames/s, longest frame {idle['longest']:.0f} ms")
    print(f"run page: first node {figures['run_ms']:.0f} ms after navigation start")
    print(f"  while RUNNING for {args.seconds:g} s: {live['fps']:.1f} frames/s, longest frame "
          f"{live['longest']:.0f} ms, {live['over_50ms']} frames over 50 ms; "
          f"{figures['changes']} DOM changes in the graph (run {figures['status_after']} after)")
    if figures["errors"]:
        print("page errors: " + "; ".join(figures["errors"]))
    print(f"load average while measuring: {load[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
