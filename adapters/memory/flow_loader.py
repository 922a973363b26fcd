"""InMemoryFlowLoader: plans registered directly by flow name and code_hash.

Serves tests and embedded use where flows are already imported; the artifact-based
loader (adapters/compute/artifact_loader.py) is the one the server uses.
"""

from __future__ import annotations

from typing import Any

from dagy.domain.catalog import FlowRecord
from dagy.domain.errors import DagyError


class InMemoryFlowLoader:
    def __init__(self) -> None:
        self._plans: dict[tuple[str, str], Any] = {}

    def register(self, flow_name: str, code_hash: str, plan: Any) -> None:
        self._plans[(flow_name, code_hash)] = plan

    def load(self, flow: FlowRecord) -> Any:
        try:
            return self._plans[(flow.flow_name, flow.code_hash)]
        except KeyError:
            raise DagyError(f"no plan registered for flow {flow.flow_name!r} "
                            f"code_hash {flow.code_hash[:12]}") from None
