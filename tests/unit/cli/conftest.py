"""Fixtures shared by the server tests in this folder."""

from __future__ import annotations

import pytest


@pytest.fixture
def container(tmp_path):
    """A real server container on the default local datastore under tmp_path/home."""
    from dagy.entrypoints.container import build_container
    from dagy.entrypoints.settings import DagySettings

    built = build_container(DagySettings(home=tmp_path / "home"))
    yield built
    built.close()
