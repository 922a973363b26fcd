"""The audit log: one entry per mutation, chained per organization so edits show.

Each entry stores the SHA-256 of the canonical JSON of its own fields plus the previous
entry's hash (`prev_hash`; the first entry of an org chains to GENESIS). Changing,
removing or reordering any stored entry breaks every later link, which `verify_chain`
finds. The chain proves integrity against someone who can edit rows but not recompute
every later hash unnoticed; anchoring the latest hash outside the database (printing it,
shipping it to another store) is what makes a full rewrite detectable too.

`redact` is the one rule for what never enters the log: values under secret-looking keys.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from functools import lru_cache
from datetime import datetime
from typing import Any, Iterable

GENESIS = "0" * 64
REDACTED = "***"
_SECRET_WORDS = ("password", "secret", "token", "api_key", "apikey", "private_key",
                 "credential", "value_ciphertext")
_SECRET_KEYS = frozenset({"value"})  # a Secret's value field is named just "value"


@dataclass
class AuditEntry:
    entry_id: str
    org_id: str
    seq: int  # 1, 2, ... per org: the chain's order
    actor: str  # "user:<id>", "key:<id>", "system"
    action: str  # e.g. "deployment.create"
    resource_type: str
    resource_id: str
    at: datetime
    before: Any = None
    after: Any = None
    ip: str | None = None
    request_id: str | None = None
    prev_hash: str = GENESIS
    entry_hash: str = field(default="", compare=False)


_HASHED = tuple(f.name for f in fields(AuditEntry) if f.name != "entry_hash")


def entry_digest(entry: AuditEntry) -> str:
    """The hash an entry must store: over every field but the hash itself."""
    body = {name: getattr(entry, name) for name in _HASHED}
    body["at"] = entry.at.isoformat(timespec="microseconds")
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                           default=str)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def seal(entry: AuditEntry, prev: AuditEntry | None) -> AuditEntry:
    """Link `entry` after `prev` (None: the org's first) and store its hash."""
    entry.seq = prev.seq + 1 if prev else 1
    entry.prev_hash = prev.entry_hash if prev else GENESIS
    entry.entry_hash = entry_digest(entry)
    return entry


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain(entries: Iterable[AuditEntry]) -> ChainBreak | None:
    """The first place where an org's entries (in seq order) stop forming a chain, or
    None when every link holds."""
    expected_seq, prev_hash = 1, GENESIS
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainBreak(entry.seq, f"expected entry {expected_seq}, found {entry.seq} "
                                         "(an entry was removed or reordered)")
        if entry.prev_hash != prev_hash:
            return ChainBreak(entry.seq, "its link to the previous entry does not match")
        if entry_digest(entry) != entry.entry_hash:
            return ChainBreak(entry.seq, "its content does not match its hash (edited)")
        expected_seq, prev_hash = expected_seq + 1, entry.entry_hash
    return None


def redact(value: Any) -> Any:
    """A copy of `value` with what sits under secret-looking keys replaced by ***."""
    if isinstance(value, dict):
        return {key: REDACTED if is_secret_key(key) and item is not None else redact(item)
                for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(item) for item in value]
    return value


def is_secret_key(key: Any) -> bool:
    """Whether values under this key are never logged (cached: keys repeat, and the
    cache is bounded, so odd keys cannot grow it)."""
    return _is_secret_name(str(key))


@lru_cache(maxsize=4096)
def _is_secret_name(key: str) -> bool:
    name = key.lower()
    return name in _SECRET_KEYS or any(word in name for word in _SECRET_WORDS)
