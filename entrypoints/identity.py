"""The server's identity: a stable instance id in DAGY_HOME, held by one live process.

Runs a server executes carry its instance id as their lease owner. The id lives in
`$DAGY_HOME/server-id` (0600), so a server restarted after a crash knows which leases
its previous incarnation held and can take those runs back at once. The process holds
an exclusive `flock` on the file while it runs; the kernel drops the lock when the
process dies (SIGKILL included), so holding it proves that no other live process on
this home holds leases under this id. A second server started on the same home cannot
get the lock: it runs under a fresh id of its own and reclaims nothing at start.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # no flock (Windows): never claim to be the only holder
    fcntl = None  # type: ignore[assignment]

FILE_NAME = "server-id"
_VALID = re.compile(r"[0-9a-f]{32}")


@dataclass
class ServerIdentity:
    instance_id: str
    exclusive: bool  # True: this process alone holds `instance_id`; its old leases are its own
    _fd: int | None = None

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor drops the lock


def claim_identity(home: Path) -> ServerIdentity:
    """The persisted instance id, locked for this process; a fresh id if another live
    process holds it (or locks are not available)."""
    home.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        return ServerIdentity(uuid.uuid4().hex, exclusive=False)
    fd = os.open(home / FILE_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return ServerIdentity(uuid.uuid4().hex, exclusive=False)
    try:
        os.fchmod(fd, 0o600)
        saved = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
        if _VALID.fullmatch(saved):
            return ServerIdentity(saved, exclusive=True, _fd=fd)
        instance_id = uuid.uuid4().hex
        os.ftruncate(fd, 0)
        os.pwrite(fd, (instance_id + "\n").encode("ascii"), 0)
        os.fsync(fd)
        return ServerIdentity(instance_id, exclusive=True, _fd=fd)
    except BaseException:
        os.close(fd)
        raise
