"""Group-committed admission: one transaction for many triggers, each answered alone."""

from __future__ import annotations

from concurrent.futures import Future

import pytest
from failing_uow import failing_commits

from dagy.application.use_cases.admission import RunAdmission
from dagy.application.use_cases.runs import get_run
from dagy.domain.errors import NotFoundError, ParameterError
from dagy.domain.states import RunStatus


def submit_batch(harness, calls):
    admission = RunAdmission(harness.deps)
    batch = [(Future(), (harness.principal, *call)) for call in calls]
    admission.write(batch)
    return [future for future, _ in batch]


def test_a_batch_admits_good_triggers_and_refuses_bad_ones_alone(harness):
    futures = submit_batch(harness, [
        ("numbers-dep", {"n": 1}, None, None),
        ("numbers-dep", {"n": "bad"}, None, None),
        ("missing-dep", {}, None, None),
        ("numbers-dep", {"n": 2}, None, "key-1"),
        ("numbers-dep", {"n": 3}, None, "key-1"),
        ("gated-dep", {}, None, None),
    ])
    first, bad, missing, keyed, repeat, gated = futures
    with pytest.raises(ParameterError):
        bad.result()
    with pytest.raises(NotFoundError):
        missing.result()
    assert keyed.result()[1] is True and repeat.result()[1] is False
    assert repeat.result()[0].run_id == keyed.result()[0].run_id
    for future in (first, keyed, gated):
        run, created = future.result()
        assert created and get_run(harness.deps, harness.principal, run.run_id).status is RunStatus.QUEUED
    with harness.deps.uow() as uow:
        assert len(uow.outbox.pending()) == 3  # one run_execute per new run, none for refusals


def test_a_failed_shared_write_retries_each_admission_alone(harness):
    real_uow = harness.deps.uow
    harness.deps.uow = failing_commits(real_uow, lambda n: n == 1, "disk full, once")
    futures = submit_batch(harness, [("numbers-dep", {"n": i}, None, None) for i in range(3)])
    runs = [f.result()[0] for f in futures]
    assert len({r.run_id for r in runs}) == 3
    harness.deps.uow = real_uow
    for run in runs:
        assert get_run(harness.deps, harness.principal, run.run_id).status is RunStatus.QUEUED


def test_submit_resolves_through_the_writer_thread(harness):
    admission = RunAdmission(harness.deps)
    futures = [admission.submit(harness.principal, "numbers-dep", {"n": i}) for i in range(20)]
    assert len({f.result(timeout=5)[0].run_id for f in futures}) == 20
