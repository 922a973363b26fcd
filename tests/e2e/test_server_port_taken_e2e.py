"""`dagy server` on a port that is already taken: one error line, nothing written.

The port is bound before the database, the API key or profiles.toml is touched, so a
failed start leaves an existing home exactly as it was: the profile still points at the
server that worked, with the key that works.
"""

from __future__ import annotations

import re
import socket
import sqlite3
from pathlib import Path

import pytest

from dagy_server import Server, dagy, free_port, one_line_error

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy")]

REPO = Path(__file__).resolve().parents[2]


def api_key_count(home: Path) -> int:
    with sqlite3.connect(home / "dagy.db") as conn:
        return conn.execute("SELECT count(*) FROM api_keys").fetchone()[0]


def test_a_taken_port_is_one_error_line_and_leaves_the_home_untouched(tmp_path: Path) -> None:
    (tmp_path / "fake_home").mkdir()
    home = tmp_path / "home"
    first = Server(tmp_path, free_port())
    try:
        code, _ = first.stop()
    finally:
        first.close()
    assert code == 0
    profiles = (home / "profiles.toml").read_bytes()
    keys = api_key_count(home)

    with socket.socket() as occupier:
        occupier.bind(("127.0.0.1", 0))
        occupier.listen()
        taken = occupier.getsockname()[1]
        proc = dagy(tmp_path, "server", "--port", str(taken))

    line = one_line_error(proc, 1, f"port {taken} on 127.0.0.1 is already in use", "--port")
    assert "uvicorn" not in proc.stderr.lower() and "Errno" not in line
    assert proc.stdout == ""
    assert (home / "profiles.toml").read_bytes() == profiles
    assert api_key_count(home) == keys


def test_make_demo_passes_its_port_to_the_server() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^PORT \?= 8484$", makefile, re.MULTILINE)
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "dagy server --demo --port $(PORT)" in demo
