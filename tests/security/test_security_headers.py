"""Security headers on every answer: every operation of the OpenAPI document (as an
owner and anonymously), the error paths (401, 404, 405, 413, 422, 429, 500), the docs
pages, their assets and the document itself; HSTS only over https."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient

from dagy.application.use_cases import accounts
from dagy.application.use_cases.accounts import bootstrap
from dagy.domain.rate_limit import Limit
from dagy.entrypoints.api import create_app
from dagy.entrypoints.api.security_headers import API_CSP
from dagy.entrypoints.wiring import build_deps

BASE = {"x-content-type-options": "nosniff", "x-frame-options": "DENY",
        "referrer-policy": "no-referrer"}


@pytest.fixture(scope="module")
def api():
    deps = build_deps()
    _, key = bootstrap(deps, "acme")
    app = create_app(deps)
    return TestClient(app, raise_server_exceptions=False), key, app.openapi()


def check(answer, *, api_json: bool = True, cacheable: bool = False) -> None:
    where = f"{answer.request.method} {answer.request.url.path} -> {answer.status_code}"
    for name, value in BASE.items():
        assert answer.headers.get(name) == value, where
    assert len(answer.headers.get_list("content-security-policy")) == 1, where
    if api_json:
        assert answer.headers["content-security-policy"] == API_CSP, where
    if not cacheable:
        assert answer.headers.get("cache-control") == "no-store", where
    assert "strict-transport-security" not in answer.headers, where  # plain http


def test_every_operation_as_owner_and_anonymous_carries_the_headers(api):
    client, key, schema = api
    statuses = set()
    walked = 0
    for path, item in schema["paths"].items():
        url = re.sub(r"\{[^}]+\}", "does-not-exist", path)
        for method in item:
            body = {"json": {}} if method in ("post", "put", "patch") else {}
            for headers in ({"Authorization": f"Bearer {key}"}, {}):
                answer = client.request(method.upper(), url, headers=headers, **body)
                check(answer)
                statuses.add(answer.status_code)
                walked += 1
    assert walked > 60
    assert {200, 401, 404, 422} <= statuses, statuses


def test_error_paths_carry_the_headers(api):
    client, key, _ = api
    auth = {"Authorization": f"Bearer {key}"}
    cases = [
        client.get("/no/such/route"),  # 404 no route matched
        client.get("/runs", headers={"Authorization": "Bearer dagy_nope_nope"}),  # 401
        client.request("PUT", "/health"),  # 405
        client.post("/runs", headers={**auth, "content-type": "application/json"},
                    content=b'{"deployment_name": ' + b'"x' * 600_000 + b'"}'),  # 413
        client.post("/runs", headers={**auth, "content-type": "application/json"},
                    content=b"{not json"),  # 422
    ]
    assert [c.status_code for c in cases] == [404, 401, 405, 413, 422]
    for answer in cases:
        check(answer)


def test_a_429_and_a_500_carry_the_headers(monkeypatch):
    deps = build_deps(rate_limit=Limit(0.001, 1))
    _, key = bootstrap(deps, "acme")
    client = TestClient(create_app(deps), raise_server_exceptions=False)
    auth = {"Authorization": f"Bearer {key}"}
    client.get("/me", headers=auth)
    limited = client.get("/me", headers=auth)
    assert limited.status_code == 429
    check(limited)

    deps = build_deps()
    _, key = bootstrap(deps, "acme")
    client = TestClient(create_app(deps), raise_server_exceptions=False)

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(accounts, "describe_caller", explode)
    failed = client.get("/me", headers={"Authorization": f"Bearer {key}"})
    assert failed.status_code == 500 and failed.json()["error"]["code"] == "internal"
    check(failed)


def test_health_and_the_openapi_document_carry_the_headers(api):
    client, _, _ = api
    for path in ("/health", "/openapi.json"):
        answer = client.get(path)
        assert answer.status_code == 200
        check(answer)


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("path", ["/docs", "/docs/oauth2-redirect"])
def test_the_docs_pages_have_a_policy_that_lets_them_load(api, path):
    client, _, _ = api
    page = client.get(path)
    assert page.status_code == 200
    check(page, api_json=False)
    policy = dict((part.strip().split(" ", 1) + [""])[:2]
                  for part in page.headers["content-security-policy"].split(";"))
    assert policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    scripts = policy["script-src"].split()
    assert "'self'" in scripts and "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    inline = re.findall(r"<script>(.*?)</script>", page.text, re.S)
    assert inline and all(_hash(script) in scripts for script in inline)
    for source in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        assert source.startswith("/docs/assets/")  # 'self' covers them
        asset = client.get(source)
        assert asset.status_code == 200 and len(asset.content) > 100, source
        check(asset, cacheable=True)
        assert asset.headers.get("cache-control") != "no-store"
    if path == "/docs":
        assert "'self'" in policy["connect-src"]  # the document and "Try it out"
        assert "data:" in policy["img-src"]  # the stylesheet's icons


def test_hsts_only_when_the_request_came_over_https(api):
    client, _, _ = api
    proxied = client.get("/health", headers={"X-Forwarded-Proto": "https"})
    assert proxied.headers["strict-transport-security"].startswith("max-age=")
    assert "strict-transport-security" not in client.get(
        "/health", headers={"X-Forwarded-Proto": "http"}).headers
    secure = TestClient(client.app, base_url="https://testserver")
    assert "strict-transport-security" in secure.get("/health").headers
