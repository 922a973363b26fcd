"""One settings reader per side: the server reads the environment only in
dagy/entrypoints/settings.py (pydantic settings), the SDK only in dagy/settings.py, and
profiles.toml has one reader and writer, dagy/profiles.py. Also: how a client resolves
its URL and key (arguments > environment > profile > default)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dagy.client import DagyClient
from dagy.domain.errors import ConfigurationError
from dagy.entrypoints import profiles as cli_profiles
from dagy.settings import DEFAULT_API_URL, debug_enabled, resolve_connection

ROOT = Path(__file__).resolve().parents[3]
PACKAGE_FOLDERS = ["dagy", "domain", "application", "adapters", "entrypoints"]
ENVIRONMENT_READERS = {Path("dagy/settings.py"), Path("entrypoints/settings.py")}
PROFILE_READERS = {Path("dagy/profiles.py")}
READS_ENVIRONMENT = re.compile(r"\bos\.environ\b|\bgetenv\(|\bfrom os import\b.*\benviron\b")
READS_TOML = re.compile(r"\btomllib\b|\btomli\b")


def _package_files():
    for folder in PACKAGE_FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            yield path.relative_to(ROOT), path.read_text(encoding="utf-8")


@pytest.mark.parametrize("pattern, allowed", [(READS_ENVIRONMENT, ENVIRONMENT_READERS),
                                              (READS_TOML, PROFILE_READERS)],
                         ids=["os.environ", "profiles.toml"])
def test_each_kind_of_setting_has_one_reader_per_side(pattern, allowed) -> None:
    readers = {relative for relative, text in _package_files() if pattern.search(text)}
    assert readers <= allowed, f"read settings through {sorted(map(str, allowed))}"


def test_a_client_takes_arguments_then_environment_then_the_profile(monkeypatch,
                                                                    isolated_dagy_home):
    assert resolve_connection().api_url == DEFAULT_API_URL  # no file, no env: the default
    cli_profiles.write_profile(cli_profiles.profiles_path(isolated_dagy_home), "local",
                               {"api_url": "http://profile:1/", "api_key": "profile-key"})
    cli_profiles.write_profile(cli_profiles.profiles_path(isolated_dagy_home), "prod",
                               {"api_url": "http://prod:1", "api_key": "prod-key"})
    local = resolve_connection()
    assert (local.api_url, local.api_key, local.profile) == ("http://profile:1", "profile-key",
                                                             "local")
    monkeypatch.setenv("DAGY_API_URL", "http://env:2")
    assert resolve_connection().api_url == "http://env:2"
    assert resolve_connection().api_key == "profile-key"  # what the environment lacks
    assert resolve_connection("http://arg:3").api_url == "http://arg:3"
    client = DagyClient(profile="prod")
    assert (client.api_url, client.api_key) == ("http://env:2", "prod-key")
    with pytest.raises(ConfigurationError, match="not found"):
        resolve_connection(profile="staging")


def test_debug_comes_from_dagy_debug(monkeypatch) -> None:
    monkeypatch.delenv("DAGY_DEBUG", raising=False)
    assert not debug_enabled()
    for value in ("1", "true", "YES"):
        monkeypatch.setenv("DAGY_DEBUG", value)
        assert debug_enabled()
    monkeypatch.setenv("DAGY_DEBUG", "0")
    assert not debug_enabled()
