"""The real time and real ids: the Clock and IdGenerator adapters the server runs with.

Tests replace them (a fixed or shifted clock, predictable ids) through build_deps
overrides; the application only knows the ports (application/ports/clock.py).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class UuidIds:
    def new_id(self) -> str:
        return uuid.uuid4().hex
