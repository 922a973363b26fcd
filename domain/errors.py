"""Errors a user can act on. Every message says what is wrong and where."""


class DagyError(Exception):
    """Base class of every error Dagy raises on purpose."""


class SpecError(DagyError):
    """A FlowSpec is not a valid DAG."""


class DuplicateTaskIdError(SpecError):
    pass


class DanglingReferenceError(SpecError):
    pass


class CycleError(SpecError):
    pass


class ParameterError(DagyError, TypeError):
    """Run parameters do not match the flow's declared parameters."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class IllegalTransition(DagyError):
    """A state change that the run or task-run state machine forbids."""


class TracingError(DagyError):
    """A flow body did something that cannot be traced into a static DAG."""


class ConfigurationError(DagyError):
    """A decorator or option was given a value it cannot accept."""


class ValidationError(DagyError):
    """A request field has a wrong value (shape, length, characters)."""


class ConflictError(DagyError):
    """The request contradicts what is stored (same version, different code) (HTTP 409)."""


class NotFoundError(DagyError):
    """No such resource in the caller's organization (HTTP 404)."""


class UnavailableError(DagyError):
    """A backing service (database, queue, object store) failed: retry later (HTTP 503)."""
