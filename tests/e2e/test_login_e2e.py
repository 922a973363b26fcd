"""A person's session against a real `dagy server` (DAGY_ADMIN_PASSWORD set): `dagy login`
stores a token pair in a profile of its own, `dagy whoami` acts with it, `dagy logout`
ends it, and the next command is one 401 error line. A wrong password is one line too."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from dagy_server import Server, dagy, free_port, ok, one_line_error, server_env

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

PASSWORD = "an e2e admin password"


def login(workdir: Path, password: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dagy.entrypoints.cli.main", "login",
                           "--email", "admin@localhost", "--password-stdin", *args],
                          cwd=workdir, env=server_env(workdir), input=password + "\n",
                          capture_output=True, text=True, timeout=60)


def test_login_whoami_logout_then_one_401_line(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    server = Server(tmp_path, free_port(), DAGY_ADMIN_PASSWORD=PASSWORD)
    try:
        # a new profile without --api-url goes to the [local] profile's server
        one_line_error(login(tmp_path, "not the password", "--profile", "me"), 2,
                       "invalid email or password", "HTTP 401")
        done = login(tmp_path, PASSWORD, "--profile", "me", "--api-url", server.url)
        assert done.returncode == 0, done.stderr
        assert "logged in as admin@localhost" in done.stderr and PASSWORD not in done.stderr
        profiles = tmp_path / "home" / "profiles.toml"
        assert stat.S_IMODE(profiles.stat().st_mode) == 0o600
        assert 'access_token = "dagyat_' in profiles.read_text()
        who = ok(dagy(tmp_path, "whoami", "--profile", "me"))
        assert "user admin@localhost" in who and "credential access_token" in who
        assert "role owner" in who and "org default" in who
        me = json.loads(ok(dagy(tmp_path, "whoami", "--json", "--profile", "me")))
        assert me["key_id"] is None and [o["org_name"] for o in me["orgs"]] == ["default"]
        access = next(line.split('"')[1] for line in profiles.read_text().splitlines()
                      if line.startswith("access_token"))
        assert "logged out" in dagy(tmp_path, "logout", "--profile", "me").stderr
        assert "dagyat_" not in profiles.read_text()
        one_line_error(dagy(tmp_path, "whoami", "--profile", "me"), 2, "HTTP 401")
        request = urllib.request.Request(server.url + "/me",
                                         headers={"Authorization": f"Bearer {access}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 401 and b"revoked" in refused.value.read()
        one_line_error(dagy(tmp_path, "logout", "--profile", "me"), 2, "not logged in")
        assert "role owner" in ok(dagy(tmp_path, "whoami"))  # the [local] API key still works
    finally:
        server.close()
