"""Organizations against a real `dagy server`, driven only through the CLI: the owner
logs in, creates and switches to an org, invites a person, who accepts with a password,
logs in and sees the org; a role change shows on their next command, the last owner
cannot leave, and once removed the person's next command is refused; with a second owner
the first may leave, and switches back to an org of theirs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dagy_server import Server, dagy, free_port, ok, one_line_error, server_env

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

ADMIN_PASSWORD = "an e2e admin password"
ANN_PASSWORD = "ann's own passphrase"


def with_stdin(workdir: Path, text: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dagy.entrypoints.cli.main", *args],
                          cwd=workdir, env=server_env(workdir), input=text + "\n",
                          capture_output=True, text=True, timeout=60)


def test_invite_accept_login_change_and_remove_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    server = Server(tmp_path, free_port(), DAGY_ADMIN_PASSWORD=ADMIN_PASSWORD)
    try:
        owner, ann = ("--profile", "owner"), ("--profile", "ann")
        ok(with_stdin(tmp_path, ADMIN_PASSWORD, "login", "--email", "admin@localhost",
                      "--password-stdin", "--api-url", server.url, *owner))
        one_line_error(dagy(tmp_path, "orgs", "create", "by-key"), 2, "API key", "HTTP 403")
        org_id = ok(dagy(tmp_path, "orgs", "create", "data-team", *owner)).strip()
        one_line_error(dagy(tmp_path, "orgs", "create", "data-team", *owner), 2, "HTTP 409")
        assert "now acting in data-team" in ok(dagy(tmp_path, "orgs", "switch", "data-team",
                                                    *owner))
        assert 'org = "data-team"' in (tmp_path / "home" / "profiles.toml").read_text()
        listed = ok(dagy(tmp_path, "orgs", "list", *owner))
        assert [("data-team" in line) for line in listed.splitlines() if " * " in line] == [
            True], listed  # the selected org is marked

        invited = dagy(tmp_path, "members", "invite", "ann@example.com", "--role", "developer",
                       *owner)
        token = ok(invited).strip()
        assert token.startswith("dagyinv_") and "shown only now" in invited.stderr
        pending = json.loads(ok(dagy(tmp_path, "invitations", "list", "--json", *owner)))
        assert [i["email"] for i in pending] == ["ann@example.com"] and token not in str(pending)
        joined = ok(with_stdin(tmp_path, ANN_PASSWORD, "invitations", "accept", token,
                               "--password-stdin", "--api-url", server.url))
        assert "joined data-team as developer" in joined
        one_line_error(with_stdin(tmp_path, ANN_PASSWORD, "invitations", "accept", token,
                                  "--password-stdin", "--api-url", server.url), 2, "HTTP 404")

        ok(with_stdin(tmp_path, ANN_PASSWORD, "login", "--email", "ann@example.com",
                      "--password-stdin", "--api-url", server.url, *ann))
        ann_orgs = json.loads(ok(dagy(tmp_path, "orgs", "list", "--json", *ann)))
        assert [(o["name"], o["org_id"], o["role"]) for o in ann_orgs] == [
            ("data-team", org_id, "developer")]
        assert "org data-team" in ok(dagy(tmp_path, "whoami", *ann))
        members = json.loads(ok(dagy(tmp_path, "members", "list", "--json", *owner)))
        assert [(m["email"], m["role"]) for m in members] == [
            ("admin@localhost", "owner"), ("ann@example.com", "developer")]

        ok(dagy(tmp_path, "members", "role", "ann@example.com", "viewer", *owner))
        assert "role viewer" in ok(dagy(tmp_path, "whoami", *ann))
        one_line_error(dagy(tmp_path, "members", "invite", "x@example.com", *ann), 2,
                       "members:manage", "HTTP 403")
        one_line_error(dagy(tmp_path, "members", "remove", "admin@localhost", *owner), 2,
                       "last owner", "HTTP 409")
        one_line_error(dagy(tmp_path, "members", "role", "nobody@example.com", "viewer",
                            *owner), 2, "no member")

        assert "removed" in ok(dagy(tmp_path, "members", "remove", "ann@example.com", *owner))
        one_line_error(dagy(tmp_path, "whoami", *ann), 2, "not found", "HTTP 404")
        one_line_error(dagy(tmp_path, "members", "list", *ann), 2, "HTTP 404")
        remaining = json.loads(ok(dagy(tmp_path, "members", "list", "--json", *owner)))
        assert [m["email"] for m in remaining] == ["admin@localhost"]
        local_key = ok(dagy(tmp_path, "whoami"))  # the [local] API key, default org
        assert "role owner" in local_key and "also in data-team" in local_key, local_key

        # with another owner the owner may leave; its profile still names the org it left,
        # and switching back works all the same
        bob = ok(dagy(tmp_path, "members", "invite", "bob@example.com", "--role", "owner",
                      *owner)).strip()
        ok(with_stdin(tmp_path, "bob's own passphrase", "invitations", "accept", bob,
                      "--password-stdin", "--api-url", server.url))
        assert "removed" in ok(dagy(tmp_path, "members", "remove", "admin@localhost", *owner))
        one_line_error(dagy(tmp_path, "whoami", *owner), 2, "data-team", "HTTP 404")
        left = ok(dagy(tmp_path, "orgs", "list", *owner))  # still lists, nothing marked
        assert "default" in left and "data-team" not in left and " * " not in left
        ok(dagy(tmp_path, "orgs", "switch", "default", *owner))
        assert "org default" in ok(dagy(tmp_path, "whoami", *owner))
    finally:
        server.close()
