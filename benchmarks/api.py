"""Control-plane throughput on the embedded default (SQLite, SQL queue, local artifacts).

1. Starts `dagy server` on a free loopback port with a fresh DAGY_HOME.
2. Deploys a 2-task flow and a 1,000-task flow through the CLI.
3. Drives `POST /runs` with wrk (32 connections by default) and reports accepted runs/s,
   p50/p99 latency and errors.
4. Waits for the backlog to drain to SUCCEEDED and reports the drain rate.
5. Runs the 1,000-task flow through the server and reports the added cost per task
   against the same flow run in-process with `run_local` (plain-engine baseline).
A plain-Python baseline of the HTTP path is `wrk` against GET /health on the same server.

Run: .venv/bin/python benchmarks/api.py [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from support import BIN, ROOT, Server, call, free_port, wait_until

FLOWS = ROOT / "benchmarks" / "flows" / "bench_flows.py"


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        cmd[1:1] = ["-s", str(script)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)

    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    return {"rps": rps, "requests": total, "p50_ms": pct(50), "p99_ms": pct(99),
            "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": sum(map(int, sock.groups())) if sock else 0}


def count_runs(api: str, key: str, status: str) -> int:
    count, cursor = 0, None
    for _ in range(10_000):
        query = f"{api}/runs?status={status}&limit=1000" + (f"&cursor={cursor}" if cursor else "")
        page = call(query, key)
        count += len(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return count
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is required: apt-get install wrk")
    home = Path(tempfile.mkdtemp(prefix="dagy-bench-"))
    server = None
    try:
        server = Server(home, free_port(), log=False, timeout=30)
        api, env = server.api, server.env
        key = tomllib.loads((home / "profiles.toml").read_text())["local"]["api_key"]
        for name, deployment in (("two_tasks", "two"), ("wide_1000", "wide")):
            out = subprocess.run([str(BIN / "dagy"), "build", f"{FLOWS}:{name}", "--output-dir",
                                  str(home / "dist")], env=env, check=True, capture_output=True,
                                 text=True).stdout.split()[-1]
            subprocess.run([str(BIN / "dagy"), "deploy", out, "--deployment", deployment],
                           env=env, check=True, capture_output=True)
        baseline = wrk(f"{api}/health", args.seconds, args.connections)
        lua = home / "post_runs.lua"
        lua.write_text('wrk.method = "POST"\nwrk.body = \'{"deployment_name": "two", '
                       '"parameters": {"n": 3}}\'\nwrk.headers["Content-Type"] = '
                       f'"application/json"\nwrk.headers["Authorization"] = "Bearer {key}"\n')
        started = time.monotonic()
        accepted = wrk(f"{api}/runs", args.seconds, args.connections, lua)
        total = accepted["requests"] - accepted["non_2xx"]
        wait_until(lambda: count_runs(api, key, "SUCCEEDED") >= total, 600, 1.0)
        drain_seconds = time.monotonic() - started
        wide = call(f"{api}/runs", key, body={"deployment_name": "wide"})
        t0 = time.monotonic()
        run = wait_until(lambda: _terminal(api, key, wide["run_id"]), 300, 0.05)
        server_seconds = _run_seconds(run) or (time.monotonic() - t0)
        sys.path.insert(0, str(FLOWS.parent))
        import bench_flows  # noqa: E402
        bench_flows.wide_1000.run_local()
        t1 = time.perf_counter()
        bench_flows.wide_1000.run_local()
        local_seconds = time.perf_counter() - t1
    finally:
        if server:
            server.stop()
        shutil.rmtree(home, ignore_errors=True)
    print(f"GET /health (HTTP baseline): {baseline['rps']:.0f} req/s, p50 {baseline['p50_ms']:.2f} ms, "
          f"p99 {baseline['p99_ms']:.2f} ms")
    print(f"POST /runs: {accepted['rps']:.0f} runs/s accepted ({accepted['rps'] / baseline['rps']:.2f}x "
          f"of /health), p50 {accepted['p50_ms']:.2f} ms, p99 {accepted['p99_ms']:.2f} ms, "
          f"errors {accepted['non_2xx'] + accepted['socket_errors']} of {accepted['requests']}")
    print(f"backlog of {total} runs SUCCEEDED {drain_seconds:.1f} s after the load started: "
          f"{total / drain_seconds:.0f} runs/s")
    per_task_ms = (server_seconds - local_seconds) / 1000 * 1000
    print(f"1,000-task run: {server_seconds:.2f} s through the server vs {local_seconds:.2f} s "
          f"in-process: +{per_task_ms:.3f} ms per task")


def _terminal(api: str, key: str, run_id: str):
    run = call(f"{api}/runs/{run_id}", key)
    return run if run["status"] in ("SUCCEEDED", "FAILED", "CANCELLED") else None


def _run_seconds(run: dict) -> float | None:
    from datetime import datetime
    if run.get("started_at") and run.get("completed_at"):
        return (datetime.fromisoformat(run["completed_at"])
                - datetime.fromisoformat(run["started_at"])).total_seconds()
    return None


if __name__ == "__main__":
    main()
