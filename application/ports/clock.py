"""Ports: time and identifiers, injectable so tests can control them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Timezone-aware UTC now."""


class IdGenerator(Protocol):
    def new_id(self) -> str:
        """A new unique id (uuid4 hex)."""
