"""A burst of uploads cannot balloon the server: bodies go to disk, not memory.

Three concurrent ~50 MB authenticated uploads to a real `dagy server`: its peak resident
memory (VmHWM) may grow by well under the 150 MB they carry. (Before bodies were streamed
to a temporary file, the same burst grew it by about twice its size.) Not timed.
"""

from __future__ import annotations

import http.client
import os
import threading
import time
import tomllib
import zipfile
from pathlib import Path

import pytest
from artifact_harness import GREETER, build_zip
from dagy_server import Server, free_port

pytestmark = pytest.mark.slow
MiB = 1024 * 1024


def kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def padded(tmp_path: Path, size: int) -> Path:
    data, _ = build_zip(tmp_path, GREETER.replace("{marker}", "padded"))
    target = tmp_path / "padded.zip"
    target.write_bytes(data)
    with zipfile.ZipFile(target, "a") as archive:  # stored, incompressible: ratio ~1
        archive.writestr(zipfile.ZipInfo("payload/blob.bin"), os.urandom(size))
    return target


def send(port: int, key: str, path: Path, answers: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        with open(path, "rb") as body:
            conn.request("POST", "/artifacts?flow_name=greeter", body=body, headers={
                "Authorization": f"Bearer {key}", "Content-Type": "application/zip",
                "Content-Length": str(path.stat().st_size)})
            response = conn.getresponse()
            answers.append((response.status, response.read()[:300]))
    finally:
        conn.close()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_three_concurrent_uploads_keep_server_memory_well_under_their_size(tmp_path):
    (tmp_path / "fake_home").mkdir()
    artifact = padded(tmp_path, 50 * MiB)
    server = Server(tmp_path, free_port())
    try:
        key = tomllib.loads((tmp_path / "home" / "profiles.toml").read_text())["local"]["api_key"]
        time.sleep(0.5)
        before = kib(server.proc.pid, "VmHWM")
        answers: list = []
        threads = [threading.Thread(target=send, args=(server.port, key, artifact, answers))
                   for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert [status for status, _ in answers] == [201, 201, 201], answers
        growth_mib = (kib(server.proc.pid, "VmHWM") - before) / 1024
        total_mib = 3 * artifact.stat().st_size / MiB
        assert growth_mib < total_mib / 3, (growth_mib, total_mib)
    finally:
        server.close()
