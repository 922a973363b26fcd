"""DagyClient with a person's login pair: X-Dagy-Org from the argument, DAGY_ORG or the
profile; on 401 the refresh token is exchanged once, the request sent again and the new
pair written back to the profile (0600); a pair another process stored is taken instead
of spending a used refresh token; a refused refresh gives the original 401."""

from __future__ import annotations

import json
import stat
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dagy.client import DagyApiError, DagyClient
from dagy.profile_sessions import clear_tokens, read_tokens, save_tokens
from dagy.profiles import profiles_path


class Sessions:
    """A fake server: one valid access token at a time, refresh tokens usable once."""

    def __init__(self) -> None:
        self.access, self.refresh, self.n = "dagyat_a_0", "dagyrt_r_0", 0
        self.seen: list[tuple[str, str, dict]] = []

    def handle(self, method: str, path: str, headers: dict, body: dict) -> tuple[int, dict]:
        self.seen.append((method, path, headers))
        if path == "/auth/refresh":
            if body.get("refresh_token") != self.refresh:
                return 401, {"error": {"code": "unauthenticated", "message": "already used",
                                       "details": None}}
            self.n += 1
            self.access, self.refresh = f"dagyat_a_{self.n}", f"dagyrt_r_{self.n}"
            return 200, {"access_token": self.access, "refresh_token": self.refresh,
                         "token_type": "bearer", "expires_in": 60, "refresh_expires_in": 600}
        if headers.get("authorization") != f"Bearer {self.access}":
            return 401, {"error": {"code": "unauthenticated", "message": "expired",
                                   "details": None}}
        return 200, {"org": headers.get("x-dagy-org")}


@pytest.fixture
def server():
    sessions = Sessions()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, answer = sessions.handle(self.command, self.path, headers, body)
            raw = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    sessions.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield sessions
    httpd.shutdown()
    thread.join(5)


@pytest.fixture
def home(tmp_path, monkeypatch):
    for name in ("DAGY_API_URL", "DAGY_API_KEY", "DAGY_ORG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DAGY_HOME", str(tmp_path))
    return profiles_path(tmp_path)


def test_an_expired_access_token_is_refreshed_once_and_the_pair_stored(server, home):
    save_tokens(home, "me", "dagyat_old_x", server.refresh, api_url=server.url)
    client = DagyClient(profile="me")
    assert client.me() == {"org": None}
    assert [p for _, p, _ in server.seen] == ["/me", "/auth/refresh", "/me"]
    assert "authorization" not in server.seen[1][2]  # the refresh carries no bearer
    assert read_tokens(home, "me") == (server.access, server.refresh)
    assert stat.S_IMODE(home.stat().st_mode) == 0o600
    assert client.me() == {"org": None} and len(server.seen) == 4  # no second refresh


def test_a_pair_another_process_stored_is_used_instead_of_refreshing(server, home):
    save_tokens(home, "me", "dagyat_old_x", "dagyrt_old_y", api_url=server.url)
    client = DagyClient(profile="me")
    save_tokens(home, "me", server.access, server.refresh)  # the other process's pair
    assert client.me() == {"org": None}
    assert [p for _, p, _ in server.seen] == ["/me", "/me"]


def test_a_refused_refresh_gives_the_original_401(server, home):
    save_tokens(home, "me", "dagyat_old_x", "dagyrt_used", api_url=server.url)
    with pytest.raises(DagyApiError) as refused:
        DagyClient(profile="me").me()
    assert refused.value.status == 401 and refused.value.message == "expired"
    assert read_tokens(home, "me") == ("dagyat_old_x", "dagyrt_used")


def test_the_org_header_comes_from_the_argument_env_or_profile(server, home, monkeypatch):
    save_tokens(home, "me", server.access, server.refresh, api_url=server.url)
    assert DagyClient(profile="me").me() == {"org": None}
    from dagy.profile_sessions import write_private_text
    from dagy.profiles import write_profile
    write_profile(home, "me", {"org": "from-profile"}, write=write_private_text)
    assert DagyClient(profile="me").me() == {"org": "from-profile"}
    monkeypatch.setenv("DAGY_ORG", "from-env")
    assert DagyClient(profile="me").me() == {"org": "from-env"}
    assert DagyClient(profile="me", org="from-arg").me() == {"org": "from-arg"}


def test_an_explicit_api_key_wins_over_the_profiles_login(server, home, monkeypatch):
    save_tokens(home, "me", server.access, server.refresh, api_url=server.url)
    monkeypatch.setenv("DAGY_API_KEY", "dagy_k_s")
    with pytest.raises(DagyApiError):
        DagyClient(profile="me").me()
    assert server.seen[-1][2]["authorization"] == "Bearer dagy_k_s"
    assert [p for _, p, _ in server.seen] == ["/me"]  # a key is never refreshed
    assert clear_tokens(home, "me") and read_tokens(home, "me") == (None, None)
    assert not clear_tokens(home, "me")
