"""Run and TaskRun states, and the rules that say which changes are legal.

Each rule names the states it applies from and to; a change no rule allows raises
IllegalTransition. The tables are data so they can be listed, documented and tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from dagy.domain.errors import IllegalTransition


class RunStatus(str, Enum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    def __str__(self) -> str:
        return self.value

    @property
    def is_terminal(self) -> bool:
        return self in (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED)


class TaskRunStatus(str, Enum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"

    def __str__(self) -> str:
        return self.value

    @property
    def is_terminal(self) -> bool:
        return self in (TaskRunStatus.SUCCEEDED, TaskRunStatus.FAILED, TaskRunStatus.SKIPPED)


@dataclass(frozen=True)
class TransitionRule:
    name: str
    from_states: frozenset
    to_states: frozenset


R, T = RunStatus, TaskRunStatus

RUN_RULES: tuple[TransitionRule, ...] = (
    TransitionRule("start", frozenset({R.QUEUED}), frozenset({R.RUNNING})),
    TransitionRule("finish", frozenset({R.RUNNING}),
                   frozenset({R.SUCCEEDED, R.FAILED, R.CANCELLED})),
    TransitionRule("cancel_before_start", frozenset({R.QUEUED}), frozenset({R.CANCELLED})),
    TransitionRule("fail_before_start", frozenset({R.QUEUED}), frozenset({R.FAILED})),
    TransitionRule("requeue_after_lost_lease", frozenset({R.RUNNING}), frozenset({R.QUEUED})),
    TransitionRule("retry", frozenset({R.FAILED, R.CANCELLED}), frozenset({R.QUEUED})),
    # re-run chosen tasks of a finished run (Airflow's "clear"); the use case allows it
    # on a SUCCEEDED run only when tasks are named
    TransitionRule("clear", frozenset({R.SUCCEEDED}), frozenset({R.QUEUED})),
)

TASK_RUN_RULES: tuple[TransitionRule, ...] = (
    TransitionRule("start", frozenset({T.PENDING}), frozenset({T.RUNNING})),
    TransitionRule("finish", frozenset({T.RUNNING}), frozenset({T.SUCCEEDED, T.FAILED})),
    TransitionRule("await_retry", frozenset({T.RUNNING}), frozenset({T.PENDING})),
    TransitionRule("skip", frozenset({T.PENDING}), frozenset({T.SKIPPED})),
    TransitionRule("fail_before_start", frozenset({T.PENDING}), frozenset({T.FAILED})),
    TransitionRule("retry_run", frozenset({T.FAILED, T.SKIPPED}), frozenset({T.PENDING})),
    TransitionRule("clear", frozenset({T.SUCCEEDED}), frozenset({T.PENDING})),
)


def _table(rules: tuple[TransitionRule, ...]) -> dict[tuple, str]:
    return {(a, b): rule.name for rule in rules for a in rule.from_states for b in rule.to_states}


_RUN_TABLE = _table(RUN_RULES)
_TASK_RUN_TABLE = _table(TASK_RUN_RULES)


def check_run_transition(current: RunStatus, new: RunStatus) -> str:
    """Return the name of the rule that allows current -> new, or raise IllegalTransition."""
    rule = _RUN_TABLE.get((current, new))
    if rule is None:
        raise IllegalTransition(f"run cannot go from {current} to {new}")
    return rule


def check_task_run_transition(current: TaskRunStatus, new: TaskRunStatus) -> str:
    rule = _TASK_RUN_TABLE.get((current, new))
    if rule is None:
        raise IllegalTransition(f"task run cannot go from {current} to {new}")
    return rule
