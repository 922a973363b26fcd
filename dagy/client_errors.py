"""What the SDK's HTTP calls raise, shared by the API client and the presigned upload.

Its own module so that dagy/client.py (which uses the upload) and dagy/transfer.py (which
raises these) both import it instead of each other.
"""

from __future__ import annotations

from typing import Any

from dagy.domain.errors import DagyError


class DagyApiError(DagyError):
    """The control plane answered with an error status; fields come from its error JSON."""

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(f"{message} (HTTP {status}, {code})")
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class DagyConnectionError(DagyError):
    """The control plane could not be reached at all (refused, timed out, reset)."""


def one_line_reason(exc: BaseException) -> str:
    """A one-line cause without exception class noise."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason) or type(reason).__name__
