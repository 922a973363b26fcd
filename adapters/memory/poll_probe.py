"""InMemoryPollProbe: a PollProbe whose answers tests and local demos set by hand."""

from __future__ import annotations

import threading
from typing import Any

from dagy.application.ports.probes import PollResult, ProbeError
from dagy.domain.schedules.model import Sensor


class InMemoryPollProbe:
    """Answers `(cursor, payload)` per sensor id as last `set`; unknown sensors answer
    (None, None) ("nothing there yet"). `fail(sensor_id)` makes the next probes raise."""

    def __init__(self) -> None:
        self._answers: dict[str, PollResult] = {}
        self._failing: set[str] = set()
        self._lock = threading.Lock()
        self.calls: list[str] = []

    def set(self, sensor_id: str, cursor: str | None,
            payload: dict[str, Any] | None = None) -> None:
        with self._lock:
            self._answers[sensor_id] = (cursor, payload)
            self._failing.discard(sensor_id)

    def fail(self, sensor_id: str) -> None:
        with self._lock:
            self._failing.add(sensor_id)

    def __call__(self, sensor: Sensor) -> PollResult:
        with self._lock:
            self.calls.append(sensor.sensor_id)
            if sensor.sensor_id in self._failing:
                raise ProbeError(f"probe of sensor {sensor.sensor_id} failed (set to fail)")
            cursor, payload = self._answers.get(sensor.sensor_id, (None, None))
            return cursor, dict(payload) if payload is not None else None
