"""Server memory under a burst of concurrent authenticated artifact uploads.

Starts a real `dagy server` (embedded default, its own DAGY_HOME), builds one valid
artifact padded with an incompressible blob to --size-mb, sends --concurrency uploads of
it at once (`POST /artifacts`, streamed from the file), and prints the server's resident
memory before the burst and its peak (VmHWM from /proc/<pid>/status, plus the highest
VmRSS sampled every 20 ms).

Run from the code root to measure, e.g. the tree before a change:
    cd /work/before && PYTHONPATH=$PWD /work/main/.venv/bin/python /work/main/benchmarks/upload_memory.py
    .venv/bin/python benchmarks/upload_memory.py [--size-mb 240] [--concurrency 3]
"""

from __future__ import annotations

import argparse
import http.client
import importlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

FLOW = """\
from dagy import flow, task

@task
def echo(x: int) -> int:
    return x

@flow(name="padded", version="1")
def padded(x: int = 1):
    return echo(x)
"""


def status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def padded_artifact(workdir: Path, size: int) -> Path:
    """A real build of a small flow plus a stored (incompressible) blob: ~`size` bytes."""
    (workdir / "padded_flow.py").write_text(FLOW)
    sys.path.insert(0, str(workdir))
    from dagy.artifacts import build_artifact
    artifact = build_artifact(importlib.import_module("padded_flow").padded,
                              output_dir=workdir / "dist")
    target = workdir / "padded.zip"
    with zipfile.ZipFile(artifact.path) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        with out.open(zipfile.ZipInfo("payload/blob.bin"), "w", force_zip64=True) as blob:
            left = size
            while left > 0:
                chunk = os.urandom(min(left, 8 * 1024 * 1024))
                blob.write(chunk)
                left -= len(chunk)
    return target


def upload(port: int, key: str, path: Path, results: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        with open(path, "rb") as body:
            conn.request("POST", "/artifacts?flow_name=padded", body=body, headers={
                "Authorization": f"Bearer {key}", "Content-Type": "application/zip",
                "Content-Length": str(path.stat().st_size)})
            response = conn.getresponse()
            results.append((response.status, response.read()[:200]))
    except OSError as exc:
        results.append((None, str(exc).encode()))
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=240)
    parser.add_argument("--concurrency", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dagy-upload-bench-") as tmp:
        workdir = Path(tmp)
        artifact = padded_artifact(workdir, args.size_mb * 1024 * 1024)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("DAGY_")}
        env.update(DAGY_HOME=str(workdir / "home"), HOME=str(workdir), no_proxy="127.0.0.1")
        with open(workdir / "server.log", "w") as log:
            server = subprocess.Popen([sys.executable, "-m", "dagy.entrypoints.cli.main", "server",
                                       "--port", str(port)], env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                sys.exit(f"server did not start: {(workdir / 'server.log').read_text()[-2000:]}")
            key = tomllib.loads((workdir / "home" / "profiles.toml").read_text())["local"]["api_key"]
            time.sleep(1)
            before = status_kib(server.pid, "VmRSS")
            results: list = []
            threads = [threading.Thread(target=upload, args=(port, key, artifact, results))
                       for _ in range(args.concurrency)]
            sampled, started = before, time.monotonic()
            for thread in threads:
                thread.start()
            while any(t.is_alive() for t in threads) and time.monotonic() - started < 600:
                sampled = max(sampled, status_kib(server.pid, "VmRSS"))
                time.sleep(0.02)
            for thread in threads:
                thread.join(timeout=60)
            peak = status_kib(server.pid, "VmHWM")
            took = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
    size = args.size_mb
    print(f"{args.concurrency} concurrent uploads of {size} MB ({took:.1f} s); "
          f"answers: {sorted(str(s) for s, _ in results)}")
    print(f"server RSS before the burst: {before / 1024:.0f} MB")
    print(f"server peak: VmHWM {peak / 1024:.0f} MB, highest sampled VmRSS "
          f"{sampled / 1024:.0f} MB (growth {(peak - before) / 1024:.0f} MB for "
          f"{args.concurrency * size} MB uploaded)")
    if any(status != 201 for status, _ in results):
        print("some uploads failed:", [r for r in results if r[0] != 201][:3])


if __name__ == "__main__":
    main()
