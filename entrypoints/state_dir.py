"""`$DAGY_HOME` is private to the server's user; this module is the one owner of how the
directory and the credential-bearing files in it are created.

The directory is 0700: created so, and tightened when a server starts on one left with
looser bits by an earlier version. `dagy.db` (and SQLite's `-wal` / `-shm`, which SQLite
creates with the database file's own mode), `profiles.toml` (the admin API key) and
`secret.key` (the server key) are 0600. Each file has that mode from its first byte:
it is created by os.open with the mode, or written to a mkstemp file (0600) that is then
renamed or linked into place, so it is never readable by others, not even for an instant.

A shared directory is never changed: one with the sticky bit (such as /tmp) or owned by
another user is left as it is, with a warning.
"""

from __future__ import annotations

import logging
import os
import stat
import tempfile
from pathlib import Path
from typing import Callable

logger = logging.getLogger("dagy.state")

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
DATABASE_FILE = "dagy.db"
KEY_FILE = "secret.key"
PEPPER_FILE = "api-key.pepper"
SECRET_KEYS_FILE = "secrets.keys"  # the Fernet key(s) of tenants' secrets (DAGY_SECRET_KEYS)
PROFILES_FILE = "profiles.toml"
ADMIN_PASSWORD_FILE = "initial-admin-password"  # the bootstrap owner's generated password
PRIVATE_FILES = (DATABASE_FILE, f"{DATABASE_FILE}-wal", f"{DATABASE_FILE}-shm", PROFILES_FILE,
                 KEY_FILE, PEPPER_FILE, ADMIN_PASSWORD_FILE, SECRET_KEYS_FILE)


def private_home(home: str | os.PathLike[str]) -> Path:
    """Create or tighten DAGY_HOME (0700) and the private files already in it (0600)."""
    path = private_dir(home)
    for name in PRIVATE_FILES:
        _tighten(path / name, PRIVATE_FILE_MODE)
    return path


def private_dir(directory: str | os.PathLike[str]) -> Path:
    """`directory` (missing parents too) created 0700; an existing one set to 0700."""
    path = Path(directory).expanduser()
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    _tighten(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: str | os.PathLike[str]) -> Path:
    """`path` created empty with 0600 if missing (never truncated); an existing one is
    tightened to 0600. SQLite then opens it as a new database.

    An existing file is never opened here: closing any descriptor of a file drops every
    POSIX lock this process holds on it, SQLite's included, so opening the database file
    while the process's own connections use it would let another process write under
    them (and corrupt the database)."""
    path = Path(path)
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        pass
    _tighten(path, PRIVATE_FILE_MODE)
    return path


def write_private(path: str | os.PathLike[str], text: str) -> None:
    """Replace `path` atomically with `text`, mode 0600 from the start."""
    path = Path(path)
    private_dir(path.parent)
    tmp = _private_temp(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise


def read_or_create_private(path: str | os.PathLike[str], make: Callable[[], str]) -> str:
    """The text of `path`; if it does not exist, `make()` is written there first (0600).
    Two processes starting at once agree: the file is linked into place, which never
    replaces one the other process made, and both read what ended up there."""
    path = Path(path)
    if not path.exists():
        private_dir(path.parent)
        tmp = _private_temp(path, make())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            _unlink(tmp)
    _tighten(path, PRIVATE_FILE_MODE)
    return path.read_text(encoding="utf-8")


def _private_temp(path: Path, text: str) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)  # 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _tighten(path: Path, mode: int) -> None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    current = stat.S_IMODE(info.st_mode)
    if current == mode:
        return
    if stat.S_ISDIR(info.st_mode) and (info.st_mode & stat.S_ISVTX
                                       or info.st_uid != os.geteuid()):
        logger.warning("%s is a shared directory (mode %o): it is left as it is; keep "
                       "DAGY_HOME in a directory of its own", path, current)
        return
    os.chmod(path, mode)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
