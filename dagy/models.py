"""Plain data objects the SDK hands back from the control plane.

They are dataclasses rather than raw dicts so that user code gets attribute access,
useful reprs and a stable shape even when the server adds fields (unknown keys are
ignored by every `from_dict`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from dagy.domain.errors import ConfigurationError, DagyError
from dagy.domain.tiers import parse_executor, parse_tier

if TYPE_CHECKING:  # pragma: no cover - import only for type checkers
    from dagy.client import DagyClient

TERMINAL_STATUSES = frozenset({"SUCCEEDED", "FAILED", "CANCELLED"})


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """Keep only keys the dataclass declares, so newer servers do not break older SDKs."""
    names = {f.name for f in fields(cls) if not f.name.startswith("_")}
    return {k: v for k, v in data.items() if k in names}


@dataclass(frozen=True)
class Executor:
    """Where tasks run. Validated on construction so typos fail at decoration time."""

    name: str
    runtime_tier: str | None = None
    memory_mb: int | None = None

    def __post_init__(self) -> None:
        if self.name is None:
            raise ConfigurationError("an executor needs a name (local, lambda, step-functions, ecs)")
        parse_executor(self.name)
        object.__setattr__(self, "runtime_tier", parse_tier(self.runtime_tier))
        if self.memory_mb is not None and (
                isinstance(self.memory_mb, bool) or not isinstance(self.memory_mb, int)
                or self.memory_mb <= 0):
            raise ConfigurationError(f"memory_mb must be a positive integer, got {self.memory_mb!r}")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "runtime_tier": self.runtime_tier, "memory_mb": self.memory_mb}


def split_executor(value: "Executor | str | dict | None") -> tuple[str | None, str | None]:
    """Reduce an executor given as Executor, name or dict to the (name, tier) the API takes."""
    if value is None:
        return None, None
    if isinstance(value, dict):
        value = Executor(**value)
    if isinstance(value, Executor):
        return value.name, value.runtime_tier
    return parse_executor(str(value)), None


@dataclass
class Deployment:
    """A named, schedulable pointer at one flow version."""

    deployment_name: str
    flow_name: str
    flow_version: str
    schedule: str | None = None
    default_executor: str | None = None
    default_runtime_tier: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    status: str = "ACTIVE"
    parameters: dict[str, Any] = field(default_factory=dict)
    environment: str = "development"
    promoted_from: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Deployment":
        values = _known(cls, data)
        values["tags"] = dict(values.get("tags") or {})
        values["parameters"] = dict(values.get("parameters") or {})
        values.setdefault("status", "ACTIVE")
        if values["status"] is None:
            values["status"] = "ACTIVE"
        return cls(**values)


@dataclass
class Run:
    """One run of a deployment. Keeps the client that fetched it so it can poll itself."""

    run_id: str
    status: str
    run_slug: str | None = None
    flow_name: str | None = None
    flow_version: str | None = None
    deployment_name: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    executor: str | None = None
    external_id: str | None = None
    created_at: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    error_message: str | None = None
    runtime_tier: str | None = None
    trigger_source: str | None = None
    result: Any = None
    _client: "DagyClient | None" = field(default=None, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any], client: "DagyClient | None" = None) -> "Run":
        values = _known(cls, data)
        values["parameters"] = dict(values.get("parameters") or {})
        values["status"] = str(values.get("status") or "QUEUED").upper()
        return cls(**values, _client=client)

    @property
    def is_terminal(self) -> bool:
        return str(self.status).upper() in TERMINAL_STATUSES

    def refresh(self) -> "Run":
        """Re-read this run from the control plane and update it in place."""
        if self._client is None:
            raise DagyError(f"run {self.run_id} is not attached to a DagyClient; "
                            "fetch it with DagyClient.get_run() to poll it")
        latest = self._client.get_run(self.run_id)
        for f in fields(self):
            if not f.name.startswith("_"):
                setattr(self, f.name, getattr(latest, f.name))
        return self

    def wait(self, timeout: float = 300, poll_interval: float = 0.5) -> "Run":
        """Poll until the run reaches SUCCEEDED, FAILED or CANCELLED; never longer than `timeout`."""
        if poll_interval <= 0:
            raise ValueError("poll_interval must be positive")
        deadline = time.monotonic() + timeout
        while True:
            if self.is_terminal:
                return self
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    f"run {self.run_slug or self.run_id} still {self.status} after {timeout:g}s; "
                    "call run.wait() again with a larger timeout")
            time.sleep(min(poll_interval, remaining))
            self.refresh()


@dataclass
class DeployResult:
    """What a deploy did; `skipped` means an identical code hash was already registered."""

    skipped: bool
    deployment_name: str
    flow_name: str
    flow_version: str
    code_hash: str
    artifact_uri: str | None = None
