"""DAGY_HOME is private: the directory 0700, dagy.db (and its WAL files), profiles.toml
and the server key file 0600, from their first byte and whatever the umask; an older,
looser home is tightened at start; the server key survives restarts."""

from __future__ import annotations

import logging
import os
import stat
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from dagy.adapters.crypto.aes_gcm import AesGcmSecretCipher, generate_key_text
from dagy.domain.errors import ConfigurationError
from dagy.domain.tenancy import Organization
from dagy.entrypoints import state_dir
from dagy.entrypoints.container import build_container
from dagy.entrypoints.profiles import profiles_path, read_profile, write_profile
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.state_dir import (KEY_FILE, private_dir, private_home,
                                   read_or_create_private, write_private)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def test_a_new_home_and_its_files_are_private_even_with_umask_0(tmp_path):
    home = tmp_path / "deep" / "home"
    with umask(0):
        container = build_container(DagySettings(home=home))
        try:
            with container.deps.uow() as uow:  # a write: SQLite creates -wal and -shm
                uow.orgs.add(Organization("o", "n"))
                uow.commit()
            write_profile(profiles_path(home), "local", {"api_key": "dagy_x_y"})
            files = {p.name: mode(p) for p in home.iterdir() if p.is_file()}
        finally:
            container.close()
    assert mode(home) == 0o700
    assert {"dagy.db", "dagy.db-wal", "dagy.db-shm", "profiles.toml", KEY_FILE} <= set(files)
    assert {files[name] for name in files if name.startswith(("dagy.db", "profiles", KEY_FILE))
            } == {0o600}


def test_an_existing_loose_home_is_tightened_when_the_server_starts(tmp_path):
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    for name in ("dagy.db-wal", "dagy.db-shm", "profiles.toml", KEY_FILE):
        (home / name).write_bytes(b"")
        os.chmod(home / name, 0o644)
    (home / KEY_FILE).write_text(generate_key_text())
    (home / "artifacts").mkdir()
    private_home(home)
    assert mode(home) == 0o700
    for name in ("dagy.db-wal", "dagy.db-shm", "profiles.toml", KEY_FILE):
        assert mode(home / name) == 0o600, name


def test_a_shared_sticky_directory_is_left_alone(tmp_path, caplog):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    with caplog.at_level(logging.WARNING, "dagy.state"):
        private_dir(shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert "shared directory" in caplog.text


def test_profiles_are_written_atomically_and_never_readable_by_others(tmp_path, monkeypatch):
    path = profiles_path(tmp_path / "home")
    seen = []
    real_replace = os.replace

    def watching_replace(src, dst):  # the moment the file appears under its name
        seen.append((mode(Path(src)), Path(src).read_text()))
        return real_replace(src, dst)

    monkeypatch.setattr(state_dir.os, "replace", watching_replace)
    with umask(0):
        write_profile(path, "local", {"api_url": "http://127.0.0.1:1", "api_key": "k1"})
        os.chmod(path, 0o644)  # as an earlier version might have left it
        write_profile(path, "local", {"api_key": "k2"})
    assert [m for m, _ in seen] == [0o600, 0o600] and "k2" in seen[-1][1]
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    assert read_profile(path) == {"api_url": "http://127.0.0.1:1", "api_key": "k2"}
    assert [p.name for p in path.parent.iterdir()] == ["profiles.toml"]  # no temp file left


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "home" / "profiles.toml"
    write_private(path, "a = 1\n")
    monkeypatch.setattr(state_dir.os, "replace", lambda *_: (_ for _ in ()).throw(OSError("x")))
    with pytest.raises(OSError):
        write_private(path, "a = 2\n")
    assert path.read_text() == "a = 1\n" and len(list(path.parent.iterdir())) == 1


def test_the_key_file_is_made_once_even_by_racing_starts(tmp_path):
    path = tmp_path / "home" / KEY_FILE
    results, barrier = [], threading.Barrier(8)

    def start():
        barrier.wait(10)
        results.append(read_or_create_private(path, generate_key_text))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(results) == 8 and len(set(results)) == 1
    assert mode(path) == 0o600 and [p.name for p in path.parent.iterdir()] == [KEY_FILE]


def test_the_generated_key_survives_a_restart(tmp_path):
    settings = DagySettings(home=tmp_path / "home")
    first = build_container(settings)
    sealed = first.deps.secret_cipher.encrypt("webhook secret")
    first.close()
    second = build_container(DagySettings(home=tmp_path / "home"))
    try:
        assert second.deps.secret_cipher.decrypt(sealed) == "webhook secret"
    finally:
        second.close()


def test_dagy_secret_key_is_used_instead_of_a_key_file(tmp_path, monkeypatch):
    key = generate_key_text()
    monkeypatch.setenv("DAGY_SECRET_KEY", key)
    container = build_container(DagySettings(home=tmp_path / "home"))
    try:
        sealed = container.deps.secret_cipher.encrypt("x")
        assert AesGcmSecretCipher.from_text(key).decrypt(sealed) == "x"
        assert not (tmp_path / "home" / KEY_FILE).exists()
        assert key not in repr(container.settings)  # a SecretStr
    finally:
        container.close()


def test_a_bad_key_or_a_shared_database_without_one_stops_the_start(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGY_SECRET_KEY", "too-short")
    with pytest.raises(ConfigurationError, match="32 random bytes"):
        build_container(DagySettings(home=tmp_path / "a"))
    monkeypatch.delenv("DAGY_SECRET_KEY")
    with pytest.raises(ConfigurationError, match="DAGY_SECRET_KEY is required"):
        build_container(DagySettings(home=tmp_path / "b",
                                     database_url="postgresql://nobody@127.0.0.1:9/none"))
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / KEY_FILE).write_text("garbage")
    with pytest.raises(ConfigurationError, match=KEY_FILE):
        build_container(DagySettings(home=tmp_path / "c"))


def test_the_api_key_pepper_is_kept_private_or_required_on_a_shared_database(tmp_path,
                                                                           monkeypatch):
    from dagy.entrypoints.state_dir import PEPPER_FILE
    first = build_container(DagySettings(home=tmp_path / "home"))
    try:
        pepper = first.deps.api_key_pepper
    finally:
        first.close()
    path = tmp_path / "home" / PEPPER_FILE
    assert path.stat().st_mode & 0o777 == 0o600 and len(pepper) >= 32
    again = build_container(DagySettings(home=tmp_path / "home"))
    try:
        assert again.deps.api_key_pepper == pepper  # a restart keeps every key working
    finally:
        again.close()
    monkeypatch.setenv("DAGY_SECRET_KEY", generate_key_text())
    with pytest.raises(ConfigurationError, match="DAGY_API_KEY_PEPPER is required"):
        build_container(DagySettings(home=tmp_path / "pg",
                                     database_url="postgresql://nobody@127.0.0.1:9/none"))
    monkeypatch.setenv("DAGY_API_KEY_PEPPER", "short")
    with pytest.raises(ConfigurationError, match="at least 32"):
        build_container(DagySettings(home=tmp_path / "d"))
