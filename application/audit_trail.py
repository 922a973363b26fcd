"""Writing the audit log: `record` one entry per mutation, inside the mutation's own
transaction, so a mutation that rolls back leaves no entry and a committed one always
has its entry.

Call it in the use case's `with deps.uow() as uow:` block before `uow.commit()`:

    record(uow, deps, principal, "deployment.update", "deployment", name,
           before=snapshot(old), after=snapshot(new))

`before`/`after` are what the resource's public fields were and became; `snapshot` makes
them from a dataclass, leaving out named fields (key hashes, ciphertexts). Whatever they
hold is redacted by the rule of domain/audit.py (values under secret-looking keys become
***) and made plain JSON, so the stored and hashed forms are the same. The entry is sealed after
the org's last one (`uow.audit_logs.last`, which also serializes concurrent appends to
one org's chain) and appended.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime, timezone
from enum import Enum
from typing import Any, Iterable, Sequence

from dagy.application.deps import Deps
from dagy.application.ports.repositories import UnitOfWork
from dagy.application.principal import Principal
from dagy.domain.audit import REDACTED, AuditEntry, is_secret_key, seal

# widths of the audit_logs columns (adapters/sql/tables.py)
MAX_ACTOR, MAX_ACTION, MAX_RESOURCE_TYPE, MAX_RESOURCE_ID = 200, 100, 64, 300
MAX_IP, MAX_REQUEST_ID = 64, 128


def record(uow: UnitOfWork, deps: Deps, principal: Principal, action: str,
           resource_type: str, resource_id: str, *, before: Any = None,
           after: Any = None) -> None:
    """Append one sealed entry for a mutation of `resource_type`/`resource_id` by
    `principal` to its org's chain, in `uow`'s transaction (the caller commits)."""
    audit_log = uow.audit_logs
    entry = _entry(deps, principal, action, resource_type, resource_id, before, after)
    audit_log.append(seal(entry, audit_log.last(principal.org_id)))


# (principal, action, resource_type, resource_id, before, after)
AuditItem = tuple[Principal, str, str, str, Any, Any]


def record_many(uow: UnitOfWork, deps: Deps, items: Sequence[AuditItem]) -> None:
    """`record` for several mutations of one transaction (a batch of admitted runs): one
    read of each org's last entry, the orgs' chains locked in a fixed (sorted) order so
    two batch writers never deadlock, and one multi-row insert."""
    if not items:
        return
    audit_log = uow.audit_logs
    last = {org_id: audit_log.last(org_id) for org_id in sorted({i[0].org_id for i in items})}
    entries = []
    for principal, action, resource_type, resource_id, before, after in items:
        entry = seal(_entry(deps, principal, action, resource_type, resource_id, before,
                            after), last[principal.org_id])
        last[principal.org_id] = entry
        entries.append(entry)
    audit_log.append_many(entries)


def _entry(deps: Deps, principal: Principal, action: str, resource_type: str,
           resource_id: str, before: Any, after: Any) -> AuditEntry:
    return AuditEntry(
        entry_id=deps.ids.new_id(), org_id=principal.org_id, seq=0,
        actor=principal.actor[:MAX_ACTOR], action=action[:MAX_ACTION],
        resource_type=resource_type[:MAX_RESOURCE_TYPE],
        resource_id=str(resource_id)[:MAX_RESOURCE_ID], at=_utc(deps.clock.now()),
        before=stored_form(before), after=stored_form(after),
        ip=principal.ip[:MAX_IP] if principal.ip else None,
        request_id=principal.request_id[:MAX_REQUEST_ID] if principal.request_id else None)


def snapshot(obj: Any, *, drop: Iterable[str] = ()) -> dict[str, Any] | None:
    """The fields of a dataclass, without the names in `drop`, in their stored form (a
    copy taken now: later changes to `obj` do not reach it). None for None."""
    if obj is None:
        return None
    left_out = set(drop)
    return stored_form({f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)
                        if f.name not in left_out})


class Stored(dict):
    """A dict already in its stored form (what `stored_form` answers): not walked again
    when it reaches `record`, so a view costs one walk on the hot path (POST /runs)."""


MAX_DEPTH = 64  # deeper than any stored resource may be (domain/json_values.py)


def stored_form(value: Any) -> Any:
    """`value` redacted and made plain JSON (instants as the API writes them, UTC with six
    fraction digits and a Z; enums by value; dataclasses as dicts; non-finite numbers as
    text), as the log stores and hashes it. One walk, no JSON round trip."""
    if value is None or type(value) is Stored:
        return value
    plain = _jsonable(value, 0)
    return Stored(plain) if isinstance(plain, dict) else plain


_PLAIN = frozenset({str, int, bool, type(None)})


def _jsonable(value: Any, depth: int) -> Any:
    if type(value) in _PLAIN:  # the common case first: exact types, no Enum subclasses
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if depth >= MAX_DEPTH:
        return str(value)[:200]
    if isinstance(value, dict):
        return {str(key): REDACTED if item is not None and is_secret_key(key)
                else _jsonable(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(item, depth + 1) for item in value]
    if isinstance(value, (str, int)) and not isinstance(value, Enum):  # subclasses
        return str(value) if isinstance(value, str) else int(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _jsonable({f.name: getattr(value, f.name) for f in dataclasses.fields(value)},
                         depth)
    if isinstance(value, datetime):  # the API's one form of an instant
        return _utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return _jsonable(value.value, depth + 1)
    return str(value)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)
