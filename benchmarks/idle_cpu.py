"""How much CPU an idle `dagy server` uses: starts a real server on a free 127.0.0.1 port
with a throwaway DAGY_HOME, lets it settle, then prints the CPU time (user + system, all
threads of the one process, from /proc/<pid>/stat) it used over N seconds as a percent of
one core, next to the same figure for a bare FastAPI app under uvicorn measured in the
same run (the floor of any Python API server on the machine). Linux only.

    python benchmarks/idle_cpu.py            # 60 s
    python benchmarks/idle_cpu.py 15 --settle 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.2)
    raise SystemExit("error: the server did not answer /health in time")


# The baseline, measured in the same run: an idle FastAPI app under uvicorn with nothing
# else (no workers, no database): the floor any Python API server pays on this machine.
BARE_SERVER = """
import sys, uvicorn
from fastapi import FastAPI
app = FastAPI()
@app.get("/health")
def health():
    return {"status": "ok"}
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def measure(command: list[str], env: dict[str, str], port: int, settle: float,
            seconds: float) -> float:
    """Percent of one core the process used over `seconds`, after `settle`."""
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_ready(port)
        time.sleep(settle)
        before, started = cpu_seconds(server.pid), time.monotonic()
        time.sleep(seconds)
        used, elapsed = cpu_seconds(server.pid) - before, time.monotonic() - started
        return 100 * used / elapsed
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seconds", nargs="?", type=float, default=60.0)
    parser.add_argument("--settle", type=float, default=10.0, help="seconds before measuring")
    args = parser.parse_args()
    dagy = Path(sys.executable).with_name("dagy")
    home = tempfile.mkdtemp(prefix="dagy-idle-")
    try:
        port = free_port()
        bare = measure([sys.executable, "-c", BARE_SERVER, str(port)], dict(os.environ), port,
                       args.settle, args.seconds)
        port = free_port()
        idle = measure([str(dagy), "server", "--port", str(port)],
                       {**os.environ, "DAGY_HOME": home}, port, args.settle, args.seconds)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"idle bare FastAPI + uvicorn (baseline): {bare:.2f}% of one core")
    print(f"idle dagy server: {idle:.2f}% of one core ({idle / bare:.1f}x the baseline; "
          f"{idle - bare:.2f} points for its workers) over {args.seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
