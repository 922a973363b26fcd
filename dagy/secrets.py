"""`get_secret(name)`: a secret's value, inside a task (or hook) of a run.

In a server run the value is the org's stored secret, the deployment's environment's
one first, else the org-wide one; in `run_local` it comes from the `secrets=` dict or
the environment variable DAGY_SECRET_<NAME>. Every value a run reads is masked (***)
in that run's logs and stored error messages. Values a task returns are stored as
results like any other: do not return a secret.
"""

from __future__ import annotations

from dagy.application.context import RunContext
from dagy.domain.errors import DagyError
from dagy.domain.secrets import SecretNotFound

__all__ = ["get_secret", "SecretNotFound", "SecretsUnavailable"]


class SecretsUnavailable(DagyError, RuntimeError):
    """get_secret was called outside a run (no task, no hook of a run is running)."""


def get_secret(name: str) -> str:
    """The value of secret `name` for the current run; SecretNotFound (a KeyError)
    naming it when the run has no such secret."""
    ctx = RunContext.current()
    secrets = None if ctx is None else ctx._secrets
    if secrets is None:
        raise SecretsUnavailable(f"get_secret({name!r}) is called outside a run: call it "
                                 "inside a task (flow.run_local(...) or a deployed run)")
    return secrets.get(name)
