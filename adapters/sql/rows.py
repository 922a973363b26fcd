"""What every SQL repository shares: row <-> dataclass mapping, error translation, ordering.

No SQLAlchemy exception leaves an adapter: a unique-key violation is the domain's
ConflictError, text holding NUL (which PostgreSQL cannot store, and no name holds) a
ValidationError, anything else the database refuses or fails at is a DatastoreError -
deliberately not a DagyError, which means "the caller can fix this" (an API answers 4xx).
Inserts that may conflict run inside a SAVEPOINT, so after a ConflictError the unit of
work is still usable (PostgreSQL would otherwise abort the whole transaction).
"""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from datetime import datetime
from enum import Enum
from typing import Any, Callable, Iterator

from sqlalchemy import ColumnElement, Table
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError

from dagy.adapters.sequence import SequenceGenerator
from dagy.adapters.values import check_limit, decode_cursor, encode_cursor, utc
from dagy.domain.errors import ConflictError, UnavailableError, ValidationError


class DatastoreError(UnavailableError, RuntimeError):
    """The database failed or refused a statement (unreachable, locked, value too long)."""


@contextmanager
def translated(what: str) -> Iterator[None]:
    try:
        yield
    except IntegrityError as exc:
        raise ConflictError(f"{what} already exists") from exc
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        if isinstance(exc, DataError) and "NUL (0x00)" in reason:  # PostgreSQL text
            raise ValidationError("text values cannot contain NUL (0x00) characters") from exc
        raise DatastoreError(f"database error ({what}): {reason}") from exc


def to_row(obj: Any, table: Table, **extra: Any) -> dict[str, Any]:
    """Column values from a dataclass: same-named fields, timestamps in UTC, enums by value."""
    row = {}
    for column in table.c:
        if column.name in extra:
            row[column.name] = extra[column.name]
        elif hasattr(obj, column.name):
            value = getattr(obj, column.name)
            if isinstance(value, datetime):
                value = utc(value)
            elif isinstance(value, Enum):
                value = value.value
            row[column.name] = value
    return row


def from_row(cls: type, row: Any, **overrides: Any) -> Any:
    """A dataclass from a row: extra columns ignored, timestamps re-attached to UTC."""
    names = {f.name for f in dataclasses.fields(cls)}
    values = {key: utc(value) if isinstance(value, datetime) else value
              for key, value in row._mapping.items() if key in names}
    values.update(overrides)
    return cls(**values)


class SqlRepository:
    """Base: statements run on the unit of work's connection, errors translated."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def _run(self, statement: Any, params: Any = None, what: str = "query") -> CursorResult:
        with translated(what):
            if params is None:
                return self._conn.execute(statement)
            return self._conn.execute(statement, params)

    def _guarded(self, statement: Any, params: Any = None, what: str = "row",
                 many: bool = False) -> CursorResult:
        """Run a write that may violate a unique key inside a SAVEPOINT where needed:
        PostgreSQL aborts the whole transaction on an error, SQLite only the statement
        (but an executemany of several rows (`many`) must still be all or nothing)."""
        if self._conn.dialect.name == "sqlite" and not many:
            return self._run(statement, params, what)
        with translated(what):
            with self._conn.begin_nested():
                if params is None:
                    return self._conn.execute(statement)
                return self._conn.execute(statement, params)

    def _keyset_page(self, query: Any, column: Any, cursor: str | None, limit: int,
                     convert: Callable[[Any], Any], *,
                     newest_first: bool = False) -> tuple[list[Any], str | None]:
        """One page of `query` in the order of the integer `column` (a creation sequence
        or an epoch), after the row the opaque `cursor` names; the cursor of the next
        page, or None on the last. The one keyset rule of the integer-keyed lists."""
        after = decode_cursor(cursor, int)
        if after:
            query = query.where(column < after[0] if newest_first else column > after[0])
        order = column.desc() if newest_first else column
        rows = self._run(query.order_by(order).limit(check_limit(limit) + 1)).all()
        page = rows[:limit]
        more = len(rows) > limit
        key = column.key
        return ([convert(row) for row in page],
                encode_cursor([getattr(page[-1], key)]) if more else None)

    def _ordered(self, column: Any) -> ColumnElement:
        """Text ordering by code point on every dialect (PostgreSQL's locale collations
        differ), so memory, SQLite and PostgreSQL page in the same order."""
        return column.collate("C") if self._conn.dialect.name == "postgresql" else column


class SequencedRepository(SqlRepository):
    """A repository whose rows carry `seq` (creation order), numbered by the generator of
    the database the unit of work belongs to (dagy.adapters.sequence)."""

    def __init__(self, connection: Connection, sequence: SequenceGenerator) -> None:
        super().__init__(connection)
        self._sequence = sequence
