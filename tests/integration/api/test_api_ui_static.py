"""The built web UI is served under /ui/ (with `/` redirecting there) from a tiny fake
build, so no npm is needed: files, directory indexes, the not-found page (404) for any
other path, the per-page CSP with the inline scripts' hashes, and the API answering as before."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dagy.entrypoints.api import create_app
from dagy.entrypoints.api.security_headers import API_CSP
from dagy.entrypoints.wiring import build_deps

INLINE = "self.__next_f=self.__next_f||[]"
INDEX = f'<html><head><script src="/ui/_next/static/a.js" async=""></script></head>' \
        f'<body><script>{INLINE}</script>home</body></html>'


def _sha(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


@pytest.fixture
def ui_build(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    (out / "_next" / "static").mkdir(parents=True)
    (out / "runs").mkdir()
    (out / "index.html").write_text(INDEX)
    (out / "runs" / "index.html").write_text("<html><body>runs page</body></html>")
    (out / "_next" / "static" / "a.js").write_text("console.log(1)")
    (out / "404.html").write_text("<html>not found page</html>")
    (tmp_path / "secret.txt").write_text("outside the build")
    return out


@pytest.fixture
def client(ui_build: Path):
    with TestClient(create_app(build_deps(profile="memory"), ui_dir=ui_build),
                    raise_server_exceptions=False) as client:
        yield client


def test_root_redirects_to_the_ui(client):
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 307
    assert answer.headers["location"] == "/ui/"


@pytest.mark.parametrize("path", ["/ui", "/ui/"])
def test_the_ui_index_with_its_own_policy(client, path):
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.text == INDEX
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    csp = answer.headers["content-security-policy"]
    assert f"script-src 'self' {_sha(INLINE)};" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    # the other security headers still come from the middleware
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/ui/runs/", "/ui/runs"])
def test_a_page_is_its_directory_index(client, path):
    answer = client.get(path)
    assert answer.status_code == 200 and answer.text == "<html><body>runs page</body></html>"
    assert "script-src 'self';" in answer.headers["content-security-policy"]


def test_build_assets_are_cached_and_keep_the_api_policy(client):
    answer = client.get("/ui/_next/static/a.js")
    assert answer.status_code == 200 and answer.text == "console.log(1)"
    assert "javascript" in answer.headers["content-type"]
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert answer.headers["content-security-policy"] == API_CSP


def test_head_and_other_methods(client):
    head = client.head("/ui/runs/")
    assert head.status_code == 200 and head.content == b""
    refused = client.post("/ui/runs/", json={})
    assert refused.status_code == 405
    assert refused.json()["error"]["code"]


@pytest.mark.parametrize("path", ["/ui/runs/some-run-id", "/ui/deployments/", "/ui/a/b/c"])
def test_unknown_ui_paths_answer_the_not_found_page_with_404(client, path):
    answer = client.get(path)
    assert answer.status_code == 404 and answer.text == "<html>not found page</html>"
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-security-policy"].startswith("default-src 'none'; script-src")


def test_without_a_not_found_page_an_unknown_path_is_the_json_404(ui_build, client):
    (ui_build / "404.html").unlink()
    answer = client.get("/ui/nope/")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/ui/_next/static/missing.js", "/ui/_next/x"])
def test_a_missing_build_asset_is_a_404_not_a_page(client, path):
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/ui/../secret.txt", "/ui/%2e%2e/secret.txt",
                                  "/ui/..%2fsecret.txt", "/ui/%00"])
def test_nothing_outside_the_build_is_served(client, path):
    answer = client.get(path)
    assert "outside the build" not in answer.text
    assert answer.status_code in (200, 404)


def test_the_api_and_its_reference_are_unchanged(client):
    assert client.get("/health").json() == {"status": "ok"}
    refused = client.get("/runs")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthenticated"
    assert client.get("/no-such-api-path").json()["error"]["code"] == "not_found"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    paths = client.get("/openapi.json").json()["paths"]
    assert not any(path == "/" or path.startswith("/ui") for path in paths)


def test_without_a_build_there_is_no_ui():
    with TestClient(create_app(build_deps(profile="memory")),
                    raise_server_exceptions=False) as client:
        assert client.get("/ui/").status_code == 404
        assert client.get("/", follow_redirects=False).status_code == 404
