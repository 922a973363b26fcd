""""Did you mean" for a deployment name the control plane does not know.

A 404 for a deployment becomes one line naming the closest names of the organization's
deployments (difflib), so a typo costs one glance instead of a `deployments list`."""

from __future__ import annotations

import contextlib
import difflib
from typing import Iterator

from dagy.client import DagyApiError, DagyClient
from dagy.domain.errors import DagyError


class UnknownDeployment(DagyError):
    """Reported as `error: deployment 'x' not found[; did you mean 'y'?]`, exit 2."""

    exit_code = 2


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate nearest to `name`, if any is near enough (difflib's 0.6 ratio)."""
    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else None


def suggestion(client: DagyClient, name: str) -> str | None:
    """The organization's deployment name closest to `name`, or None."""
    try:
        names = [d.deployment_name for d in client.list_deployments()]
    except DagyError:
        return None
    return closest(name, [n for n in names if n and n != name])


@contextlib.contextmanager
def deployment_hint(client: DagyClient, name: str) -> Iterator[None]:
    """Turn a 404 about deployment `name` inside the block into UnknownDeployment."""
    try:
        yield
    except DagyApiError as exc:
        if exc.status != 404 or "deployment" not in exc.message.lower():
            raise
        match = suggestion(client, name)
        if match is None:  # nothing near: the server's own line, with its status
            raise
        raise UnknownDeployment(
            f"deployment {name!r} not found; did you mean {match!r}?") from None
