"""Transactions over the in-memory tables: staged writes over committed state.

The store that owns the tables (InMemoryStore) lives with the unit of work in
repositories.py; this module knows only the tables, so the repositories can build on it
without importing back. A transaction's writes go to an overlay that its own reads see first; commit applies the
overlay to the shared tables, dropping it discards them. Stored objects are private deep
copies that are never mutated in place, so readers always get copies too.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import datetime
from typing import Any, Callable, Iterable

from dagy.adapters.sequence import SequenceGenerator
from dagy.adapters.values import check_limit, utc
from dagy.domain.errors import ConflictError

TABLES = ("orgs", "org_names", "users", "user_emails", "memberships", "api_keys", "key_prefixes",
          "flows", "deployments", "runs", "run_keys", "task_runs", "outbox",
          "access_tokens")
_DELETED = object()


class Tx:
    """Staged writes over the committed tables; reads see this transaction's own writes."""

    def __init__(self, tables: dict[str, dict[Any, Any]], sequence: SequenceGenerator) -> None:
        """`sequence`: the store's generator, numbering new rows in creation order."""
        self.tables, self.sequence, self.staged, self.open = tables, sequence, {}, True

    def get(self, table: str, key: Any) -> Any:
        self._check()
        staged = self.staged.get(table, {})
        value = staged[key] if key in staged else self.tables[table].get(key)
        return None if value is _DELETED else value

    def put(self, table: str, key: Any, value: Any) -> None:
        self._check()
        self.staged.setdefault(table, {})[key] = value

    def delete(self, table: str, key: Any) -> None:
        self.put(table, key, _DELETED)

    def rows(self, table: str) -> list[Any]:
        self._check()
        merged = {**self.tables[table], **self.staged.get(table, {})}
        return [value for value in merged.values() if value is not _DELETED]

    def commit(self) -> None:
        self._check()
        for table, changes in self.staged.items():
            target = self.tables[table]
            for key, value in changes.items():
                if value is _DELETED:
                    target.pop(key, None)
                else:
                    target[key] = value
        self.staged = {}

    def _check(self) -> None:
        if not self.open:
            raise RuntimeError("the unit of work is closed: use it inside its `with` block")


def stored_copy(obj: Any) -> Any:
    """A private deep copy with every timestamp in UTC (what SQL would give back)."""
    obj = copy.deepcopy(obj)
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, datetime):
            setattr(obj, f.name, utc(value))
    return obj


def copy_of(obj: Any) -> Any:
    return copy.deepcopy(obj) if obj is not None else None


def keyset_page(items: Iterable[Any], key: Callable[[Any], tuple], limit: int,
                after: tuple | None, newest_first: bool = False) -> tuple[list[Any], tuple | None]:
    """Keyset page: items strictly after `after` in sort order, plus the last key if more."""
    check_limit(limit)
    ordered = sorted(items, key=key, reverse=newest_first)
    if after is not None:
        ordered = [i for i in ordered if (key(i) < after if newest_first else key(i) > after)]
    page = ordered[:limit]
    return page, (key(page[-1]) if len(ordered) > limit else None)


class Repo:
    """Base of the in-memory repositories: they read and write through one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def _conflict_if(self, taken: bool, what: str) -> None:
        if taken:
            raise ConflictError(f"{what} already exists")
