"""DagyClient's organization calls: the method, path (ids quoted) and body each sends,
and accepting an invitation without the client's credential and without a refresh on
401 (a 401 there is a wrong password, not an expired session)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dagy.client import DagyApiError, DagyClient
from dagy.profile_sessions import save_tokens
from dagy.profiles import profiles_path


@pytest.fixture
def server():
    seen: list[tuple[str, str, dict, dict]] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            seen.append((self.command, self.path, {k.lower(): v for k, v in
                                                   self.headers.items()}, body))
            status, answer = (401, {"error": {"code": "unauthenticated", "details": None,
                                              "message": "wrong password"}}) \
                if self.path.endswith("/accept") else (200, {"items": [], "next_cursor": None})
            raw = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = do_PATCH = do_DELETE = _answer

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    thread.join(5)


@pytest.fixture
def home(tmp_path, monkeypatch):
    for name in ("DAGY_API_URL", "DAGY_API_KEY", "DAGY_ORG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DAGY_HOME", str(tmp_path))
    return profiles_path(tmp_path)


def test_each_call_sends_its_method_path_and_body(server, home):
    url, seen = server
    client = DagyClient(api_url=url, api_key="dagy_p_s")
    client.create_org("data-team")
    client.list_members("o/1")
    client.set_member_role("o/1", "u 2", "viewer")
    client.remove_member("o/1", "u 2")
    client.invite("o/1", "ann@example.com", "developer")
    client.revoke_invitation("o/1", "i1")
    assert [(m, p, b) for m, p, _, b in seen] == [
        ("POST", "/orgs", {"name": "data-team"}),
        ("GET", "/orgs/o%2F1/members", {}),
        ("PATCH", "/orgs/o%2F1/members/u%202", {"role": "viewer"}),
        ("DELETE", "/orgs/o%2F1/members/u%202", {}),
        ("POST", "/orgs/o%2F1/invitations", {"email": "ann@example.com", "role": "developer"}),
        ("DELETE", "/orgs/o%2F1/invitations/i1", {})]
    assert all(h["authorization"] == "Bearer dagy_p_s" for _, _, h, _ in seen)


def test_accepting_sends_no_credential_and_never_refreshes(server, home):
    url, seen = server
    save_tokens(home, "me", "dagyat_a_x", "dagyrt_r_y", api_url=url)
    with pytest.raises(DagyApiError) as refused:
        DagyClient(profile="me").accept_invitation("dagyinv_i1_secret", "a passphrase")
    assert refused.value.status == 401 and refused.value.message == "wrong password"
    assert [(m, p) for m, p, _, _ in seen] == [("POST", "/invitations/dagyinv_i1_secret/accept")]
    assert "authorization" not in seen[0][2] and seen[0][3] == {"password": "a passphrase"}
