"""How much CPU an idle `dagy server` uses: starts a real server on a free 127.0.0.1 port
with a throwaway DAGY_HOME, lets it settle, then prints the CPU time (user + system, all
threads of the one process, from /proc/<pid>/stat) it used over N seconds as a percent of
one core. Linux only.

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seconds", nargs="?", type=float, default=60.0)
    parser.add_argument("--settle", type=float, default=10.0, help="seconds before measuring")
    args = parser.parse_args()
    dagy = Path(sys.executable).with_name("dagy")
    home = tempfile.mkdtemp(prefix="dagy-idle-")
    port = free_port()
    env = {**os.environ, "DAGY_HOME": home}
    server = subprocess.Popen([str(dagy), "server", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port)
        time.sleep(args.settle)
        before, started = cpu_seconds(server.pid), time.monotonic()
        time.sleep(args.seconds)
        used, elapsed = cpu_seconds(server.pid) - before, time.monotonic() - started
        print(f"idle dagy server: {100 * used / elapsed:.2f}% of one core "
              f"({used:.2f} s CPU over {elapsed:.0f} s)")
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
