"""A user's flow project with its own `domain` and `adapters` packages, as a hexagonal
code base would have: it runs locally, builds, deploys and runs on a real server.

Before the layers installed under `dagy.`, our top-level `domain` shadowed the user's:
`dagy run my_flows.py:flow` failed with "No module named 'domain.pricing'".
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dagy_server import Server, free_port, ok, server_env

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

FILES = {
    "domain/__init__.py": "",
    "domain/pricing.py": "def with_tax(amount: float) -> float:\n    return round(amount * 1.2, 2)\n",
    "adapters/__init__.py": "",
    "adapters/catalog.py": "PRICES = {'apple': 1.0, 'pear': 2.5}\n",
    "my_flows.py": textwrap.dedent('''
        from dagy import flow, task

        from adapters.catalog import PRICES
        from domain.pricing import with_tax


        @task
        def price(item: str) -> float:
            return with_tax(PRICES[item])


        @flow(name="shop", version="1")
        def shop(item: str = "pear"):
            return price(item)
    '''),
}


def cli(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    """The installed `dagy` command, as the docs have users call it (not `python -m`)."""
    command = Path(sys.executable).with_name("dagy")
    return subprocess.run([str(command), *args], cwd=workdir, env=server_env(workdir),
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "fake_home").mkdir()
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_a_project_with_its_own_domain_and_adapters_runs_builds_deploys(project: Path) -> None:
    assert "price" in ok(cli(project, "flows", "show", "my_flows.py:shop"))
    local = cli(project, "run", "my_flows.py:shop", "--param", "item=apple")
    assert json.loads(ok(local)) == 1.2

    server = Server(project, free_port())
    try:
        artifact = ok(cli(project, "build", "my_flows.py:shop", "--output-dir", "dist")).strip()
        assert "deployment: shop" in ok(cli(project, "deploy", artifact, "--deployment", "shop"))
        remote = cli(project, "run", "shop", "--wait", "--timeout", "60")
        assert json.loads(ok(remote)) == 3.0, server.err.read_text()[-2000:]
    finally:
        server.close()
