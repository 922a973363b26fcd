"""The bootstrap owner's first password: DAGY_ADMIN_PASSWORD, else a generated one in a
0600 file under $DAGY_HOME; set once, never over a password the owner has."""

from __future__ import annotations

import stat

import pytest

from dagy.application.use_cases.accounts import bootstrap
from dagy.application.use_cases.sessions import login
from dagy.domain.errors import ConfigurationError
from dagy.domain.tenancy import AuthenticationError
from dagy.entrypoints.admin_password import ensure_admin_password
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.wiring import build_deps

ADMIN = "admin@localhost"


@pytest.fixture
def deps():
    deps = build_deps()
    bootstrap(deps, "default", ADMIN)
    return deps


def test_without_the_setting_a_password_is_generated_into_a_private_file(deps, tmp_path):
    settings = DagySettings(home=tmp_path / "home", admin_password=None)
    path = ensure_admin_password(deps, settings, ADMIN)
    assert path == tmp_path / "home" / "initial-admin-password"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    password = path.read_text().strip()
    assert len(password) >= 12
    login(deps, ADMIN, password)
    assert ensure_admin_password(deps, settings, ADMIN) is None  # set already: kept


def test_the_setting_is_the_first_password_and_writes_no_file(deps, tmp_path):
    settings = DagySettings(home=tmp_path / "home", admin_password="a chosen admin password")
    assert ensure_admin_password(deps, settings, ADMIN) is None
    assert not (tmp_path / "home" / "initial-admin-password").exists()
    login(deps, ADMIN, "a chosen admin password")
    later = DagySettings(home=tmp_path / "home", admin_password="another one entirely")
    ensure_admin_password(deps, later, ADMIN)  # the owner has a password: unchanged
    with pytest.raises(AuthenticationError):
        login(deps, ADMIN, "another one entirely")


def test_a_too_short_setting_stops_the_start_with_one_clear_error(deps, tmp_path):
    settings = DagySettings(home=tmp_path / "home", admin_password="short")
    with pytest.raises(ConfigurationError, match="DAGY_ADMIN_PASSWORD: a password is 12"):
        ensure_admin_password(deps, settings, ADMIN)
