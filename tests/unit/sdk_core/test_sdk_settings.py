"""Local settings: DAGY_HOME and the default thread-pool size."""

from __future__ import annotations

from pathlib import Path

from dagy.settings import dagy_home, default_max_workers


def test_dagy_home_comes_from_the_environment_and_is_created(tmp_path, monkeypatch):
    target = tmp_path / "state" / "dagy"
    monkeypatch.setenv("DAGY_HOME", str(target))
    assert dagy_home() == target and target.is_dir()


def test_dagy_home_defaults_to_dot_dagy_in_home(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGY_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert dagy_home() == Path(tmp_path) / ".dagy"


def test_max_workers_from_environment_else_cpu_based(monkeypatch):
    monkeypatch.setenv("DAGY_MAX_WORKERS", "3")
    assert default_max_workers() == 3
    monkeypatch.setenv("DAGY_MAX_WORKERS", "zero")
    assert 5 <= default_max_workers() <= 32
