"""Rate limits on a real `dagy server`: a burst past the limit gets only 2xx and 429
(never a 5xx), the 429s carry Retry-After and the RateLimit-* headers, and a request
after Retry-After is admitted again. On SQLite the embedded server keeps its buckets in
memory; on PostgreSQL (a fresh schema) they are rows of `rate_limit_buckets`, shared by
every API process, and the burst's concurrent updates of one row must not fail."""

from __future__ import annotations

import time
import tomllib
import urllib.error
import urllib.request
from contextlib import ExitStack
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from backend_deps import postgres_server_env
from dagy.adapters.sql.engine import make_engine
from dagy_server import Server, free_port

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]


def _get(url: str, key: str) -> tuple[int, dict[str, str]]:
    """The status and the headers, their names lower-cased."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres",
                                                             marks=pytest.mark.postgres)])
def test_a_burst_past_the_limit_gets_only_2xx_and_429(tmp_path: Path, backend: str) -> None:
    (tmp_path / "fake_home").mkdir()
    with ExitStack() as stack:
        env, schema = postgres_server_env(stack) if backend == "postgres" else ({}, None)
        server = Server(tmp_path, free_port(), DAGY_RATE_LIMIT_PER_SECOND="5",
                        DAGY_RATE_LIMIT_BURST="10", **env)
        stack.callback(server.close)
        _burst(tmp_path, server)
        if schema is not None:  # the buckets were the shared table's rows
            engine = make_engine(env["DAGY_DATABASE_URL"])
            stack.callback(engine.dispose)
            with engine.connect() as conn:
                rows = conn.execute(sa.text(f'SELECT count(*) FROM "{schema}".rate_limit_buckets'))
                assert rows.scalar_one() >= 1


def _burst(tmp_path: Path, server: Server) -> None:
    """80 requests from 8 threads against a limit of 10 plus 5 a second."""
    key = tomllib.loads((tmp_path / "home" / "profiles.toml").read_text())["local"]["api_key"]
    url = f"{server.url}/runs"
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: _get(url, key), range(80)))
    elapsed = time.monotonic() - started
    statuses = [status for status, _ in answers]
    assert set(statuses) <= {200, 429}, statuses
    # the burst, plus what the bucket refilled while it lasted (a slow machine refills more)
    assert 10 <= statuses.count(200) <= 12 + 5 * elapsed, (elapsed, statuses)
    assert statuses.count(429) >= max(1, 80 - 12 - 5 * elapsed), (elapsed, statuses)
    refused = next(headers for status, headers in answers if status == 429)
    assert int(refused["retry-after"]) >= 1 and refused["ratelimit-limit"] == "10"
    assert refused["ratelimit-remaining"] == "0"
    admitted = next(headers for status, headers in answers if status == 200)
    assert {"ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"} <= set(admitted)
    time.sleep(int(refused["retry-after"]) + 0.1)
    assert _get(url, key)[0] == 200
    assert _get(f"{server.url}/health", "")[0] == 200  # never limited
