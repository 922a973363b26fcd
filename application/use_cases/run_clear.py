"""What a retry "from tasks" runs again (Airflow's "clear"): the named tasks and every
task downstream of them.

The choice must survive the process that made it: the executor that claims the re-queued
run may be another one, later. So the chosen tasks' stored runs (mapped items included)
are reset to PENDING in the retry's own transaction; `succeeded_task_runs` then no
longer returns them and the executor runs them like tasks that never ran. Nothing here
writes before every name is checked, so a bad name changes nothing.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import Any, Sequence

from dagy.domain.errors import ValidationError
from dagy.domain.flowspec import FlowSpec
from dagy.domain.states import TaskRunStatus

MAX_FROM_TASKS = 100
_PAGE = 1000
_MAX_PAGES = 1000  # a million task runs: far past any run the API accepts


def check_from_tasks(from_tasks: Any) -> list[str]:
    """The shape alone (no flow needed): a non-empty list of short task names."""
    if (not isinstance(from_tasks, (list, tuple)) or not from_tasks
            or len(from_tasks) > MAX_FROM_TASKS):
        raise ValidationError(f"from_tasks must be a list of 1 to {MAX_FROM_TASKS} task ids")
    for name in from_tasks:
        if not isinstance(name, str) or not 0 < len(name) <= 200:
            raise ValidationError("each of from_tasks must be a task id of 1 to 200 characters")
    return list(from_tasks)


def resolve_tasks(spec: FlowSpec, names: Sequence[str]) -> list[str]:
    """Task ids for `names`. A name is a task id of the flow (what `dagy runs show`
    prints in its TASK column) or else the `name` of exactly one task; anything else
    is a ValidationError naming the flow's task ids."""
    ids = [t.id for t in spec.tasks]
    by_name: dict[str, list[str]] = {}
    for t in spec.tasks:
        by_name.setdefault(t.name, []).append(t.id)
    chosen: list[str] = []
    for name in names:
        if name in ids:
            found = name
        elif len(by_name.get(name, ())) == 1:
            found = by_name[name][0]
        elif name in by_name:
            raise ValidationError(f"task name {name!r} is used by several tasks of flow "
                                  f"{spec.name!r}; name one of their ids: "
                                  f"{', '.join(by_name[name])}")
        else:
            raise ValidationError(f"flow {spec.name!r} has no task {name!r}; its tasks are "
                                  f"{', '.join(ids) or '(none)'}")
        if found not in chosen:
            chosen.append(found)
    return chosen


def with_downstream(spec: FlowSpec, task_ids: Sequence[str]) -> set[str]:
    """`task_ids` and every task that depends on one of them, directly or not."""
    downstream = spec.downstream()
    seen, todo = set(task_ids), deque(task_ids)
    while todo:
        for child in downstream.get(todo.popleft(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def reset_task_runs(uow: Any, org_id: str, run_id: str, task_ids: set[str],
                    now: datetime) -> int:
    """Every stored task run of `task_ids` in this run back to PENDING without its
    result, output or error; the number changed. The caller commits."""
    changed, cursor = [], None
    for _ in range(_MAX_PAGES):
        page, cursor = uow.task_runs.list_for_run(org_id, run_id, limit=_PAGE, cursor=cursor)
        for tr in page:
            if tr.task_id in task_ids and tr.status is not TaskRunStatus.PENDING:
                tr.move_to(TaskRunStatus.PENDING, now)
                tr.started_at = tr.result = tr.output_ref = tr.error_message = None
                changed.append(tr)
        if cursor is None:
            break
    uow.task_runs.upsert_many(org_id, changed)
    return len(changed)
