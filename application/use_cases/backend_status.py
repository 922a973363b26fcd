"""apply_status_update: a remote backend (Step Functions, ECS) reports a run's state."""

from __future__ import annotations

from typing import Any

from dagy.application.deps import Deps
from dagy.domain.errors import IllegalTransition
from dagy.domain.states import RunStatus


def apply_status_update(deps: Deps, org_id: str, run_id: str, status: str,
                        error_message: str | None = None, external_id: Any = None) -> bool:
    """A backend reports a run's state (Step Functions, ECS). Illegal changes are ignored."""
    with deps.uow() as uow:
        run = uow.runs.get(org_id, run_id)
        if run is None:
            return False
        expected_status, expected_version = run.status, run.version
        try:
            run.move_to(RunStatus(status), deps.clock.now())
        except (IllegalTransition, ValueError):
            return False
        run.error_message = error_message or run.error_message
        run.external_id = external_id or run.external_id
        run.version += 1
        if uow.runs.compare_and_set(run, expected_status, expected_version):
            uow.commit()
            return True
    return False
