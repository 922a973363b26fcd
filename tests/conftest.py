"""Test-wide setup: every test gets its own DAGY_HOME, CI refuses skipped PostgreSQL tests,
and property tests run a quick budget locally and the full one on CI."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Shared test helpers (tests/support/) import by module name from every test folder.
sys.path.insert(0, str(Path(__file__).parent / "support"))

from property_budget import CI_EXAMPLES  # noqa: E402  (needs the path above)

# Property tests are the bulk of the unit tier's time. Locally a few dozen examples per
# property keep the tier at seconds; CI (CI=true, or HYPOTHESIS_PROFILE=ci) runs the full
# counts. Deadlines are off in both: a slow example on a loaded machine is not a bug.
# Tests that want more than the default ask through property_budget.examples(n).
settings.register_profile("quick", max_examples=20, deadline=None)
settings.register_profile("ci", max_examples=CI_EXAMPLES, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI") == "true" else "quick"))

_skipped_postgres: list[str] = []


@pytest.fixture(autouse=True)
def isolated_dagy_home(tmp_path_factory, monkeypatch):
    """Nothing a test does may touch the developer's real ~/.dagy."""
    home = tmp_path_factory.mktemp("dagy_home")
    monkeypatch.setenv("DAGY_HOME", str(home))
    return home


def pytest_runtest_logreport(report):
    if report.skipped and "postgres" in report.keywords:
        _skipped_postgres.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI") == "true" and _skipped_postgres:
        session.exitstatus = 1
        print(f"\nCI=true but {len(_skipped_postgres)} PostgreSQL tests were skipped "
              f"(is DAGY_TEST_POSTGRES_URL reachable?): {_skipped_postgres[:5]}")


@pytest.fixture
def no_proxy(monkeypatch) -> None:
    """Loopback requests from the test process (health checks, DagyClient) never use a proxy."""
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
