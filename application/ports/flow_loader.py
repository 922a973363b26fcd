"""Port: turn a registered flow's artifact into something the runner can execute."""

from __future__ import annotations

from typing import Protocol

from dagy.application.plan import ExecutionPlan
from dagy.domain.catalog import FlowRecord


class FlowLoader(Protocol):
    """Fetch the artifact (cached by code_hash), import its entrypoint in isolation,
    and return the flow's ExecutionPlan. Raises a DagyError if it cannot."""

    def load(self, flow: FlowRecord) -> ExecutionPlan: ...
