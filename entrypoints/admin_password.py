"""The bootstrap owner's first password, so `dagy login` works on a fresh server.

DAGY_ADMIN_PASSWORD when set; otherwise a random one is generated into
$DAGY_HOME/initial-admin-password (mode 0600, the way Jenkins writes its
initialAdminPassword), and the first-start message says where it is. Either is used only
while the owner has no password: a password changed since (PUT /me/password) is kept,
and the file can then be removed.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from dagy.application.deps import Deps
from dagy.application.use_cases.passwords import has_password, set_initial_password
from dagy.domain.errors import ConfigurationError, ValidationError
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.state_dir import ADMIN_PASSWORD_FILE, read_or_create_private


def ensure_admin_password(deps: Deps, settings: DagySettings, email: str) -> Path | None:
    """Give `email` (the bootstrap owner) a password if they have none. Returns the
    generated file's path when this call set the password from it, else None."""
    if has_password(deps, email):
        return None
    if settings.admin_password is not None:
        try:
            set_initial_password(deps, email, settings.admin_password.get_secret_value())
        except ValidationError as exc:
            raise ConfigurationError(f"DAGY_ADMIN_PASSWORD: {exc}") from None
        return None
    path = settings.home / ADMIN_PASSWORD_FILE
    password = read_or_create_private(path, lambda: secrets.token_urlsafe(18) + "\n").strip()
    try:
        set_initial_password(deps, email, password)
    except ValidationError as exc:
        raise ConfigurationError(f"{path}: {exc}; remove the file to make a new one") from None
    return path
