"""Rate limits on a real `dagy server`: a burst past the limit gets only 2xx and 429
(never a 5xx), the 429s carry Retry-After and the RateLimit-* headers, and a request
after Retry-After is admitted again."""

from __future__ import annotations

import time
import tomllib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

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


def test_a_burst_past_the_limit_gets_only_2xx_and_429(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    server = Server(tmp_path, free_port(), DAGY_RATE_LIMIT_PER_SECOND="5",
                    DAGY_RATE_LIMIT_BURST="10")
    try:
        key = tomllib.loads((tmp_path / "home" / "profiles.toml").read_text())["local"]["api_key"]
        url = f"{server.url}/runs"
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: _get(url, key), range(80)))
        statuses = [status for status, _ in answers]
        assert set(statuses) <= {200, 429}, statuses
        assert 10 <= statuses.count(200) <= 25 and statuses.count(429) >= 50, statuses
        refused = next(headers for status, headers in answers if status == 429)
        assert int(refused["retry-after"]) >= 1 and refused["ratelimit-limit"] == "10"
        assert refused["ratelimit-remaining"] == "0"
        admitted = next(headers for status, headers in answers if status == 200)
        assert {"ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"} <= set(admitted)
        time.sleep(int(refused["retry-after"]) + 0.1)
        assert _get(url, key)[0] == 200
        assert _get(f"{server.url}/health", "")[0] == 200  # never limited
    finally:
        server.close()
