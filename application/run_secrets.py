"""The secrets of one run: read on demand by `dagy.get_secret`, remembered for masking.

A run carries one RunSecrets on every RunContext of its tasks and hooks. `get(name)`
asks the run's lookup (the server's reads the org's stored secrets, the deployment's
environment first, then org-wide, and decrypts; a local run reads a dict and
DAGY_SECRET_<NAME>) and remembers the value, so `mask(text)` can replace every value
the run has read with *** wherever the run's text goes: its captured log lines, what
its tasks print to the process's stdout and stderr, and the error messages and
tracebacks stored for its task runs. Not masked: what a task hands to other logging
handlers or writes to files itself, and values a task returns (stored as its result).
"""

from __future__ import annotations

import threading
from typing import Callable, Mapping

from dagy.application.log_capture import install as install_stdout_proxy
from dagy.domain.secrets import SecretNotFound, check_secret_name, mask_text

Lookup = Callable[[str], "str | None"]
ENV_PREFIX = "DAGY_SECRET_"


class RunSecrets:
    """Thread-safe: a run's tasks run on pool threads at once."""

    def __init__(self, lookup: Lookup, where: str) -> None:
        """`where`: the run's scope, for the message naming a secret that is not there."""
        self._lookup, self._where = lookup, where
        self._read: dict[str, str] = {}
        self._values: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def get(self, name: str) -> str:
        name = check_secret_name(name)
        with self._lock:
            if name in self._read:
                return self._read[name]
        value = self._lookup(name)
        if value is None:
            raise SecretNotFound(f"secret {name!r} not found ({self._where})")
        with self._lock:
            self._read[name] = value
            self._values = tuple(sorted(set(self._read.values()), key=len, reverse=True))
        install_stdout_proxy(stderr=True)  # prints are masked, even if the run keeps no logs
        return value

    def mask(self, text: str) -> str:
        """`text` with every value this run has read replaced by ***."""
        values = self._values
        return mask_text(text, values) if values and isinstance(text, str) else text


def local_secrets(given: Mapping[str, str] | None = None,
                  fallback: Lookup | None = None) -> RunSecrets:
    """A local run's secrets: `given` first, then `fallback(name)` (the SDK passes
    dagy.settings.secret_from_environment: DAGY_SECRET_<NAME>)."""
    given = dict(given or {})
    for name, value in given.items():
        check_secret_name(name)
        if not isinstance(value, str):
            raise TypeError(f"secret {name!r}: a secret value is a string")

    def lookup(name: str) -> str | None:
        if name in given:
            return given[name]
        return None if fallback is None else fallback(name)

    return RunSecrets(lookup, f"pass it in run_local(secrets=...) or set {ENV_PREFIX}<NAME>")


def mask_of(secrets: RunSecrets | None) -> Callable[[str], str] | None:
    return None if secrets is None else secrets.mask
