"""Retries against a real `dagy server`: a retry keeps the succeeded items of a mapped
task, and `dagy runs retry ID --from-task b` re-runs b and what follows it, not a.

Every task body appends its name to a file, so the file counts real executions (not
only what the records claim). Item 2 of the mapped step fails once, through a marker
file, so the first attempt fails with items 1 and 3 succeeded.
"""

from __future__ import annotations

import textwrap
import time
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from dagy.client import DagyClient
from dagy_server import Server, dagy, free_port, ok

pytestmark = pytest.mark.slow

FLOWS = textwrap.dedent('''
    from pathlib import Path
    from dagy import flow, task

    def _mark(path: str, name: str) -> None:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(name + "\\n")

    @task
    def a(path: str) -> list:
        _mark(path, "a")
        return [1, 2, 3]

    @task
    def b(x: int, path: str, marker: str) -> int:
        _mark(path, f"b{x}")
        if x == 2 and not Path(marker).exists():
            Path(marker).write_text("failed once")
            raise RuntimeError("item 2 fails the first time")
        return x * 10

    @task
    def c(values: list, path: str) -> int:
        _mark(path, "c")
        return sum(values)

    @flow(name="fanout", version="1")
    def fanout(path: str, marker: str):
        return c(b.map(a(path), path=path, marker=marker), path)

    if __name__ == "__main__":
        print(fanout("marks.txt", "marker.txt"))
''')
TERMINAL = ("SUCCEEDED", "FAILED", "CANCELLED")


@pytest.fixture
def workdir(tmp_path: Path, no_proxy) -> Path:
    (tmp_path / "fake_home").mkdir()
    (tmp_path / "fan_flows.py").write_text(FLOWS)
    return tmp_path


def _wait(client: DagyClient, run_id: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    run = client.get_run(run_id)
    while run.status not in TERMINAL:
        assert time.monotonic() < deadline, run.status
        time.sleep(0.1)
        run = client.get_run(run_id)
    return run


def _counts(marks: Path) -> Counter:
    return Counter(marks.read_text().split())


def test_retry_keeps_succeeded_items_and_from_task_reruns_downstream(workdir: Path):
    marks, marker = workdir / "marks.txt", workdir / "marker.txt"
    server = Server(workdir, free_port())
    try:
        artifact = ok(dagy(workdir, "build", "fan_flows.py", "--output-dir", "dist")).strip()
        ok(dagy(workdir, "deploy", artifact, "--deployment", "fan"))
        key = tomllib.loads((workdir / "home" / "profiles.toml").read_text())["local"]["api_key"]
        client = DagyClient(api_url=server.url, api_key=key, timeout=10)
        run_id = client.trigger_run("fan", {"path": str(marks), "marker": str(marker)}).run_id

        assert _wait(client, run_id).status == "FAILED"
        assert _counts(marks) == Counter(a=1, b1=1, b2=1, b3=1)

        assert ok(dagy(workdir, "runs", "retry", run_id)).split() == [run_id, "QUEUED"]
        run = _wait(client, run_id)
        assert (run.status, run.result) == ("SUCCEEDED", 60)
        # items 1 and 3 succeeded the first time: executed once in all
        assert _counts(marks) == Counter(a=1, b1=1, b2=2, b3=1, c=1)

        # an unknown task: a clear error, and the run stays as it was
        bad = dagy(workdir, "runs", "retry", run_id, "--from-task", "ghost")
        assert bad.returncode != 0 and "ghost" in bad.stderr and "Traceback" not in bad.stderr
        assert client.get_run(run_id).status == "SUCCEEDED"

        shown = ok(dagy(workdir, "runs", "show", run_id))
        assert "b[0]" in shown and "b[2]" in shown
        out = ok(dagy(workdir, "runs", "retry", run_id, "--from-task", "b"))
        assert out.split() == [run_id, "QUEUED"]
        run = _wait(client, run_id)
        assert (run.status, run.result) == ("SUCCEEDED", 60)
        assert _counts(marks) == Counter(a=1, b1=2, b2=3, b3=2, c=2)  # b and c, not a
        statuses = {(t["task_id"], t["map_index"]): t["status"]
                    for t in client.task_runs(run_id)}
        assert statuses == {("a", None): "SUCCEEDED", ("b", 0): "SUCCEEDED",
                            ("b", 1): "SUCCEEDED", ("b", 2): "SUCCEEDED",
                            ("c", None): "SUCCEEDED"}
    finally:
        server.close()
