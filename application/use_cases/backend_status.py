"""apply_status_update: a remote backend (Step Functions, ECS) reports a run's state."""

from __future__ import annotations

from typing import Any

from dagy.application.deps import Deps
from dagy.domain.errors import IllegalTransition
from dagy.domain.states import RunStatus


#: Changes only a user's retry makes (with its outbox event and task resets), never a
#: backend's report.
USER_ACTIONS = frozenset({"retry", "clear"})


def apply_status_update(deps: Deps, org_id: str, run_id: str, status: str,
                        error_message: str | None = None, external_id: Any = None) -> bool:
    """A backend reports a run's state (Step Functions, ECS). Illegal changes are ignored."""
    with deps.uow() as uow:
        run = uow.runs.get(org_id, run_id)
        if run is None:
            return False
        expected_status, expected_version = run.status, run.version
        try:
            rule = run.move_to(RunStatus(status), deps.clock.now())
        except (IllegalTransition, ValueError):
            return False
        if rule in USER_ACTIONS:  # a late report never re-queues a finished run
            return False
        run.error_message = error_message or run.error_message
        run.external_id = external_id or run.external_id
        run.version += 1
        if uow.runs.compare_and_set(run, expected_status, expected_version):
            uow.commit()
            return True
    return False
