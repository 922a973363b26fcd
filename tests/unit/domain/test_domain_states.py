"""Run / TaskRun state machines: rule tables and the entities that follow them."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dagy.domain.errors import IllegalTransition
from dagy.domain.runs import Run, TaskRun
from dagy.domain.states import (
    RUN_RULES,
    TASK_RUN_RULES,
    RunStatus,
    TaskRunStatus,
    check_run_transition,
    check_task_run_transition,
)

R, T = RunStatus, TaskRunStatus

# Written out by hand so an accidental edit of the rule tables is caught.
EXPECTED_RUN = {
    (R.QUEUED, R.RUNNING): "start",
    (R.RUNNING, R.SUCCEEDED): "finish",
    (R.RUNNING, R.FAILED): "finish",
    (R.RUNNING, R.CANCELLED): "finish",
    (R.QUEUED, R.CANCELLED): "cancel_before_start",
    (R.QUEUED, R.FAILED): "fail_before_start",
    (R.RUNNING, R.QUEUED): "requeue_after_lost_lease",
    (R.FAILED, R.QUEUED): "retry",
    (R.CANCELLED, R.QUEUED): "retry",
    (R.SUCCEEDED, R.QUEUED): "clear",
}
EXPECTED_TASK_RUN = {
    (T.PENDING, T.RUNNING): "start",
    (T.RUNNING, T.SUCCEEDED): "finish",
    (T.RUNNING, T.FAILED): "finish",
    (T.RUNNING, T.PENDING): "await_retry",
    (T.PENDING, T.SKIPPED): "skip",
    (T.PENDING, T.FAILED): "fail_before_start",
    (T.FAILED, T.PENDING): "retry_run",
    (T.SKIPPED, T.PENDING): "retry_run",
    (T.SUCCEEDED, T.PENDING): "clear",
}


def _pairs(rules):
    return {(a, b): rule.name for rule in rules for a in rule.from_states for b in rule.to_states}


def test_rule_tables_are_the_documented_ones():
    assert _pairs(RUN_RULES) == EXPECTED_RUN
    assert _pairs(TASK_RUN_RULES) == EXPECTED_TASK_RUN


@pytest.mark.parametrize("rules", [RUN_RULES, TASK_RUN_RULES], ids=["run", "task_run"])
def test_no_pair_is_claimed_by_two_rules(rules):
    seen: dict[tuple, str] = {}
    for rule in rules:
        for pair in itertools.product(rule.from_states, rule.to_states):
            assert pair not in seen, f"{pair} in both {seen[pair]} and {rule.name}"
            seen[pair] = rule.name
    assert len({rule.name for rule in rules}) == len(rules)


@pytest.mark.parametrize("current, new", list(itertools.product(RunStatus, RunStatus)))
def test_check_run_transition_exhaustive(current, new):
    expected = _pairs(RUN_RULES).get((current, new))
    if expected is None:
        with pytest.raises(IllegalTransition) as info:
            check_run_transition(current, new)
        assert str(current) in str(info.value) and str(new) in str(info.value)
    else:
        assert check_run_transition(current, new) == expected


@pytest.mark.parametrize("current, new", list(itertools.product(TaskRunStatus, TaskRunStatus)))
def test_check_task_run_transition_exhaustive(current, new):
    expected = _pairs(TASK_RUN_RULES).get((current, new))
    if expected is None:
        with pytest.raises(IllegalTransition) as info:
            check_task_run_transition(current, new)
        assert str(current) in str(info.value) and str(new) in str(info.value)
    else:
        assert check_task_run_transition(current, new) == expected


def test_terminal_states_accept_only_the_retry_rules():
    for status in RunStatus:
        accepted = {new: rule for (cur, new), rule in EXPECTED_RUN.items() if cur is status}
        if status.is_terminal:
            assert set(accepted.values()) <= {"retry", "clear"}
            assert set(accepted) <= {R.QUEUED}
    for status in TaskRunStatus:
        accepted = {new: rule for (cur, new), rule in EXPECTED_TASK_RUN.items() if cur is status}
        if status.is_terminal:
            assert set(accepted.values()) <= {"retry_run", "clear"}
            assert set(accepted) <= {T.PENDING}
    # SUCCEEDED leaves only by "clear" (re-running chosen tasks), back to the start.
    for new in RunStatus:
        if new is not R.QUEUED:
            with pytest.raises(IllegalTransition):
                check_run_transition(R.SUCCEEDED, new)
    assert check_run_transition(R.SUCCEEDED, R.QUEUED) == "clear"
    for new in TaskRunStatus:
        if new is not T.PENDING:
            with pytest.raises(IllegalTransition):
                check_task_run_transition(T.SUCCEEDED, new)
    assert check_task_run_transition(T.SUCCEEDED, T.PENDING) == "clear"


def test_is_terminal_and_str():
    assert {s for s in RunStatus if s.is_terminal} == {R.SUCCEEDED, R.FAILED, R.CANCELLED}
    assert {s for s in TaskRunStatus if s.is_terminal} == {T.SUCCEEDED, T.FAILED, T.SKIPPED}
    assert all(str(s) == s.value for s in [*RunStatus, *TaskRunStatus])


# --------------------------------------------------------------------------- TaskRun walks

START = datetime(2024, 1, 1, 12, 0, 0)
SLOTS = TaskRun.__slots__


def _snapshot(obj) -> dict:
    return {name: getattr(obj, name) for name in type(obj).__slots__}


@given(st.lists(st.tuples(st.sampled_from(list(TaskRunStatus)), st.integers(1, 3600)),
                max_size=40),
       st.sampled_from(list(TaskRunStatus)))
def test_task_run_random_walk(steps, initial):
    tr = TaskRun("tr-1", "run-1", "task", "Task", status=initial, error_message="old")
    now = START
    for new, seconds in steps:
        now = now + timedelta(seconds=seconds)
        before = _snapshot(tr)
        if (before["status"], new) not in EXPECTED_TASK_RUN:
            with pytest.raises(IllegalTransition):
                tr.move_to(new, now)
            assert _snapshot(tr) == before, "an illegal move must leave the task run unchanged"
            continue
        tr.move_to(new, now)
        after = _snapshot(tr)
        assert after["status"] is new
        if new is T.RUNNING:
            assert after["attempt"] == before["attempt"] + 1
            assert after["started_at"] == now
            assert after["completed_at"] is None
            assert after["error_message"] is None
            assert tr.duration_seconds is None
        else:
            assert after["attempt"] == before["attempt"]
            assert after["started_at"] == before["started_at"]
            assert after["error_message"] == before["error_message"]
            if new is T.PENDING:  # waiting to run again: no completion time yet
                assert after["completed_at"] is None
            else:
                assert after["completed_at"] == now
                if before["status"] is T.RUNNING and before["started_at"] is not None:
                    assert tr.duration_seconds == (now - before["started_at"]).total_seconds()
        untouched = set(SLOTS) - {"status", "attempt", "started_at", "completed_at", "error_message"}
        assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
    assert isinstance(tr.status, T)


def test_task_run_attempts_count_runs():
    tr = TaskRun("tr", "r", "t", "t")
    t0 = START
    tr.move_to(T.RUNNING, t0)
    tr.move_to(T.PENDING, t0 + timedelta(seconds=1))   # await retry
    tr.move_to(T.RUNNING, t0 + timedelta(seconds=5))
    tr.move_to(T.FAILED, t0 + timedelta(seconds=8))
    assert tr.attempt == 2
    assert tr.started_at == t0 + timedelta(seconds=5)
    assert tr.duration_seconds == 3.0
    tr.move_to(T.PENDING, t0 + timedelta(seconds=9))   # whole-run retry
    tr.move_to(T.RUNNING, t0 + timedelta(seconds=10))
    tr.move_to(T.SUCCEEDED, t0 + timedelta(seconds=12))
    assert tr.attempt == 3
    assert tr.status is T.SUCCEEDED
    assert tr.started_at == t0 + timedelta(seconds=10)
    assert tr.completed_at == t0 + timedelta(seconds=12)


def test_task_run_skip_and_fail_before_start_stamp_completion_only():
    for end in (T.SKIPPED, T.FAILED):
        tr = TaskRun("tr", "r", "t", "t")
        tr.move_to(end, START)
        assert (tr.attempt, tr.started_at, tr.completed_at) == (0, None, START)
        assert tr.duration_seconds is None


def test_task_run_move_to_with_a_status_string():
    tr = TaskRun("tr", "r", "t", "t")
    try:
        tr.move_to("RUNNING", START)  # type: ignore[arg-type]
    except (IllegalTransition, TypeError, ValueError):
        return  # rejecting a non-member is an acceptable fix
    assert tr.attempt == 1
    assert tr.started_at == START and tr.completed_at is None
    assert tr.status is T.RUNNING


# --------------------------------------------------------------------------- Run walks


@given(st.lists(st.tuples(st.sampled_from(list(RunStatus)), st.integers(1, 3600)), max_size=40))
def test_run_random_walk(steps):
    run = Run("run-1", "flow", created_at=START)
    now = START
    for new, seconds in steps:
        now = now + timedelta(seconds=seconds)
        before = _snapshot(run)
        expected_rule = EXPECTED_RUN.get((before["status"], new))
        if expected_rule is None:
            with pytest.raises(IllegalTransition):
                run.move_to(new, now)
            assert _snapshot(run) == before
            continue
        assert run.move_to(new, now) == expected_rule
        assert run.status is new
        if new is R.RUNNING:
            assert run.started_at == now
            assert run.completed_at == before["completed_at"]
        elif new is R.QUEUED:
            assert run.started_at is None and run.completed_at is None
        else:
            assert run.completed_at == now
            assert run.started_at == before["started_at"]
        assert run.created_at == START
    assert isinstance(run.status, R)


def test_run_move_to_with_a_status_string():
    run = Run("r", "f")
    try:
        run.move_to("RUNNING", START)  # type: ignore[arg-type]
    except (IllegalTransition, TypeError, ValueError):
        return
    assert run.started_at == START and run.completed_at is None
    assert run.status is R.RUNNING
