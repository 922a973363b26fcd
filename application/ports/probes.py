"""Port: probing what a polling sensor watches (an HTTP resource, an S3 prefix)."""

from __future__ import annotations

from typing import Any, Protocol

from dagy.domain.errors import DagyError
from dagy.domain.schedules.model import Sensor

PollResult = tuple[str | None, dict[str, Any] | None]


class ProbeError(DagyError):
    """The watched resource could not be read (the poll is skipped and tried next time)."""


class PollProbe(Protocol):
    """Contract:
    - `probe(sensor)` returns `(cursor, payload)`: `cursor` identifies the current state of
      the watched resource (an ETag, a Last-Modified date, a body digest, the newest
      object); None means "nothing there yet". When the resource has not changed since
      `sensor.cursor`, the probe returns `sensor.cursor` itself.
    - `payload` is a JSON object describing the new state (parameter_mapping is applied
      to it), or None.
    - Failures raise ProbeError; a probe never blocks longer than its own timeout.
    """

    def __call__(self, sensor: Sensor) -> PollResult: ...
