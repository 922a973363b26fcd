"""Port: somewhere to run a task's body (threads, processes, a remote worker)."""

from __future__ import annotations

from typing import Any, Callable, Protocol


class TaskJob(Protocol):
    """One attempt of one task. `invoke()` runs the body and returns (ok, value_or_error)."""

    job_id: int
    timeout_seconds: float | None

    def invoke(self) -> tuple[bool, Any]: ...


Report = Callable[[Any, bool, Any], None]


class TaskRunner(Protocol):
    """Runs jobs concurrently and reports each outcome through `report(job, ok, value)`.

    `report` may be called from any thread. Contract:
    - `capacity` is how many jobs may run at once; the runner never starts more.
    - `start(job, report)` must not block on the job's body.
    - `abandon(job)` is called when the job's deadline passed: stop it if you can
      (kill a process), otherwise let it finish unseen; capacity must not shrink.
    - `supports_inline`: True if running a job on the caller's thread is equivalent
      (no isolation is lost), which lets the runner skip a thread hand-off.
    - `close()` releases workers; jobs still running are abandoned.
    """

    capacity: int
    supports_inline: bool

    def start(self, job: Any, report: Report) -> None: ...

    def abandon(self, job: Any) -> None: ...

    def close(self) -> None: ...
