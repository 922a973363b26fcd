"""The list shape every collection answers with: `{"items": [...], "next_cursor": ...}`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Query

from dagy.domain.errors import DagyError, ValidationError

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
Cursor = Annotated[str | None, Query(max_length=2000,
                                     description="next_cursor from the previous page")]


def page(items: Iterable[Any], next_cursor: str | None,
         to_dict: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    return {"items": [to_dict(item) for item in items], "next_cursor": next_cursor or None}


def paged(result: tuple[Iterable[Any], str | None],
          to_dict: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """`page` for a repository's `(items, next_cursor)` answer."""
    items, next_cursor = result
    return page(items, next_cursor, to_dict)


@contextmanager
def cursor_errors(cursor: str | None) -> Iterator[None]:
    """Turn an adapter's ValueError about an unreadable cursor into a 422, not a 500."""
    try:
        yield
    except ValueError as exc:
        if cursor is None or isinstance(exc, DagyError):
            raise
        raise ValidationError("cursor is not a next_cursor this API returned") from None
