"""Password guessing is slow: POST /auth/login counts every attempt per email and per
client address (DAGY_LOGIN_ATTEMPTS_PER_MINUTE) and answers 429 with Retry-After past
the limit, a correct password included; on the memory and the SQL rate limiter."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from conftest import assert_error

from dagy.application.use_cases.passwords import set_initial_password
from dagy.domain.rate_limit import Limit
from dagy.entrypoints.container import build_container
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.wiring import build_deps, login_rate_limit, password_hasher

PASSWORD = "correct horse battery staple"


@pytest.fixture(params=["memory", "sqlite"])
def api(request, api_for, tmp_path):
    with ExitStack() as stack:
        if request.param == "memory":
            deps = build_deps()
        else:
            container = build_container(DagySettings(home=tmp_path / "home"))
            stack.callback(container.close)
            deps = container.deps
        deps.password_hasher = password_hasher(cheap=True)
        deps.login_rate_limit = Limit(3 / 60, 3)
        harness = api_for(deps)
        set_initial_password(harness.deps, "admin@localhost", PASSWORD)
        yield harness


def attempt(api, email="admin@localhost", password="a wrong guess"):
    return api.client.post("/auth/login", json={"email": email, "password": password})


def test_past_the_limit_even_the_right_password_gets_429(api):
    for _ in range(3):
        assert_error(attempt(api, "Admin@Localhost"), 401, "unauthenticated")
    refused = attempt(api, password=PASSWORD)
    assert "logins for this email" in assert_error(refused, 429)["message"]
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["RateLimit-Limit"] == "3"
    assert api.get("/runs").status_code == 200  # API keys have their own buckets


def test_the_limit_is_per_email_and_the_address_bounds_all_emails(api):
    for _ in range(3):
        assert_error(attempt(api), 401)
    assert_error(attempt(api), 429)
    for n in range(27):  # 3 x 10 per address: 3 from above, 27 more over other emails
        assert_error(attempt(api, f"guess{n % 9}@example.com"), 401)
    refused = attempt(api, "fresh@example.com")
    assert "logins from this address" in assert_error(refused, 429)["message"]


def test_the_setting_turns_it_off():
    assert build_deps().login_rate_limit.enabled  # on by default
    settings = DagySettings(login_attempts_per_minute=0)
    assert not login_rate_limit(settings).enabled
