"""Wire models every resource shares: the one error shape, pages, and declared errors.

The OpenAPI document is generated from these, and the web UI generates its client from
the document, so each model mirrors exactly the JSON a route answers.
"""

from __future__ import annotations

import functools

from datetime import datetime, timezone
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, Field

from dagy.domain.tiers import EXECUTORS, RuntimeTier

T = TypeVar("T")

_NOT_NAME = r"\s/\x00-\x1f\x7f-\x9f"
#: Names appear in URLs, log groups and object keys: printable, no '/', no outer spaces.
PlainName = Annotated[str, Field(min_length=1, max_length=200,
                                 pattern=rf"^[^{_NOT_NAME}]([^/\x00-\x1f\x7f-\x9f]*[^{_NOT_NAME}])?$")]
ExecutorName = Literal[EXECUTORS]  # type: ignore[valid-type]


def _integral(value: Any) -> Any:
    """JSON has one number type: 253.0 is the integer 253 (JSON Schema agrees)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: An integer that also takes an integral float, and never a string or a boolean.
Integer = Annotated[int, BeforeValidator(_integral), Field(strict=True)]

TierName = Literal[tuple(tier.value for tier in RuntimeTier)]  # type: ignore[valid-type]


TIME_DESCRIPTION = ("ISO 8601 in UTC with microseconds and a trailing Z, e.g. "
                    "2026-12-02T15:04:05.123456Z (the only form the API writes)")

#: A time as the API writes it (see wire_time); Timestamp is one that may be null.
WireTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
Timestamp = Annotated[WireTime | None, Field(description=TIME_DESCRIPTION)]


def wire_time(value: datetime | None) -> str | None:
    """The one way the API writes an instant: UTC, always six fraction digits, a "Z".

    One fixed width keeps every time the API answers comparable as text (sorting a
    mix of `...:05Z` and `...:05.1Z` as strings puts them out of order). A naive
    datetime is read as UTC, as the datastores store it. Requests still accept both
    `Z` and `+00:00` (query_times.py and the bodies' datetime fields).
    """
    if value is None:
        return None
    if value.tzinfo is not None and value.tzinfo is not timezone.utc:
        value = value.astimezone(timezone.utc)
    return value.isoformat(timespec="microseconds")[:26] + "Z"  # drop the "+00:00"


class EntityView(BaseModel):
    """A response model built from an entity: the API's JSON has this one owner.

    `from_entity` copies the entity's same-named attributes (times through wire_time;
    enums stay enums, as the models declare them); `extra` supplies or overrides fields
    the entity does not hold. The model is built without validation (the values come
    from our own entities, and FastAPI checks the response against the model once
    more), which keeps list pages and the trigger route cheap.
    """

    @classmethod
    def from_entity(cls, entity: Any, **extra: Any) -> Any:
        values = {}
        for name, required in _field_plan(cls):
            if name in extra:
                value = extra[name]
            elif required or hasattr(entity, name):
                value = getattr(entity, name)  # a required field the entity lacks: a bug
            else:
                continue  # optional and not supplied: left unset
            values[name] = wire_time(value) if isinstance(value, datetime) else value
        return cls.model_construct(**values)


@functools.cache
def _field_plan(cls: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """(field name, required) of a model, computed once per class (the list routes call
    from_entity for every item)."""
    return tuple((name, spec.is_required()) for name, spec in cls.model_fields.items())


class ErrorDetail(BaseModel):
    code: str = Field(description="machine-readable: invalid, not_found, conflict, ...")
    message: str = Field(description="what went wrong, for a person")
    details: Any = Field(None, description="per-field problems for `invalid`, else null")


class ErrorBody(BaseModel):
    """Every 4xx and 5xx answers with this shape."""

    error: ErrorDetail


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; "
                                                "null on the last page")


_WHEN = {
    400: "The request is malformed (for example an invalid Content-Length)",
    401: "No API key, or one that is not valid",
    403: "The caller's role lacks this operation's permission (see x-dagy-permission)",
    429: "Too many requests for the caller's key or org; Retry-After says when to retry",
    404: "A resource named by the request does not exist in the caller's organization",
    409: "The request conflicts with the resource's current state",
    413: "The request body is larger than this operation accepts",
    422: "The request does not validate; `details` lists the problems",
    503: "The datastore is unavailable; try again",
}

#: What any authenticated operation can answer besides its own errors.
COMMON = (400, 401, 403, 413, 422, 429, 503)


def errors(*statuses: int, authenticated: bool = True) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the common errors plus `statuses`, all as ErrorBody."""
    common = COMMON if authenticated else tuple(s for s in COMMON if s not in (401, 403, 429))
    return {status: {"model": ErrorBody, "description": _WHEN[status]}
            for status in sorted({*common, *statuses})}


class Health(BaseModel):
    status: Literal["ok"]
