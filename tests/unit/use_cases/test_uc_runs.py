"""Triggering, executing, cancelling, retrying and recovering runs."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_budget import examples

from dagy.application.bus import MessageBus
from dagy.application.consumer import consume_batch
from dagy.application.use_cases.deployments import set_paused
from dagy.application.use_cases.claim_and_run import claim_run, execute_run
from dagy.application.use_cases.lost_leases import requeue_expired
from dagy.application.use_cases.outbox import relay_outbox
from dagy.application.use_cases.runs import cancel_run, get_run, retry_run, trigger_run
from dagy.domain.errors import ConflictError, NotFoundError, ParameterError
from dagy.domain.events import RUN_EXECUTE, envelope
from dagy.domain.states import RunStatus, TaskRunStatus


def drain(h, rounds=20):
    bus = MessageBus(h.deps)
    for _ in range(rounds):
        relay_outbox(h.deps)
        if consume_batch(bus, 10) == 0 and relay_outbox(h.deps) == 0:
            return


def test_trigger_writes_run_and_event_in_one_transaction(harness):
    run, created = trigger_run(harness.deps, harness.principal, "numbers-dep", {"n": 4})
    assert created and run.status is RunStatus.QUEUED and run.run_slug
    with harness.deps.uow() as uow:
        events = uow.outbox.pending()
    assert [e.payload for e in events] == [envelope(RUN_EXECUTE, run.org_id, run_id=run.run_id)]
    drain(harness)
    done = get_run(harness.deps, harness.principal, run.run_id)
    assert done.status is RunStatus.SUCCEEDED and done.result == 6
    assert harness.deps.logs.read(run.org_id, run.run_id)[0]


def test_bad_parameters_queue_nothing(harness):
    for params in ({"n": "x"}, {"m": 1}):
        with pytest.raises(ParameterError):
            trigger_run(harness.deps, harness.principal, "numbers-dep", params)
    with harness.deps.uow() as uow:
        assert uow.outbox.pending() == []
        assert uow.runs.list(harness.principal.org_id)[0] == []


def test_idempotency_key_and_paused_deployment(harness):
    a, _ = trigger_run(harness.deps, harness.principal, "numbers-dep", {}, idempotency_key="k1")
    b, created = trigger_run(harness.deps, harness.principal, "numbers-dep", {}, idempotency_key="k1")
    assert a.run_id == b.run_id and not created
    set_paused(harness.deps, harness.principal, "numbers-dep", True)
    with pytest.raises(ConflictError, match="paused"):
        trigger_run(harness.deps, harness.principal, "numbers-dep", {})
    with pytest.raises(NotFoundError):
        trigger_run(harness.deps, harness.principal, "nope", {})


def test_duplicate_delivery_executes_once(harness):
    run, _ = trigger_run(harness.deps, harness.principal, "numbers-dep", {"n": 2})
    bus = MessageBus(harness.deps)
    event = envelope(RUN_EXECUTE, run.org_id, run_id=run.run_id)
    assert bus.handle(event) is RunStatus.SUCCEEDED
    assert bus.handle(event) is None
    assert harness.executions == ["load", "total"]


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 2), min_size=3, max_size=12), st.randoms())
def test_shuffled_duplicated_events_reach_the_same_final_state(harness, picks, rnd):
    runs = [trigger_run(harness.deps, harness.principal, "numbers-dep", {"n": i + 1})[0]
            for i in range(3)]
    events = [envelope(RUN_EXECUTE, runs[p].org_id, run_id=runs[p].run_id) for p in picks]
    events += [envelope(RUN_EXECUTE, r.org_id, run_id=r.run_id) for r in runs]
    rnd.shuffle(events)
    bus = MessageBus(harness.deps)
    for event in events:
        bus.handle(event)
    for i, run in enumerate(runs):
        final = get_run(harness.deps, harness.principal, run.run_id)
        assert final.status is RunStatus.SUCCEEDED
        assert final.result == sum(range(i + 1))


def test_cancel_running_run_stops_between_tasks(harness):
    run, _ = trigger_run(harness.deps, harness.principal, "gated-dep", {})
    worker = threading.Thread(target=execute_run, args=(harness.deps, run.org_id, run.run_id))
    worker.start()
    deadline = time.monotonic() + 5
    while "gate" not in harness.executions and time.monotonic() < deadline:
        time.sleep(0.01)
    cancelled = cancel_run(harness.deps, harness.principal, run.run_id)
    assert cancelled.status is RunStatus.CANCELLED
    time.sleep(0.7)  # the lease thread polls for cancellation every 0.5 s
    harness.gate.set()
    worker.join(10)
    assert not worker.is_alive()
    assert harness.executions == ["gate"]
    assert get_run(harness.deps, harness.principal, run.run_id).status is RunStatus.CANCELLED
    with harness.deps.uow() as uow:
        trs, _ = uow.task_runs.list_for_run(run.org_id, run.run_id)
    assert {t.task_id: t.status for t in trs}["after_gate"] is TaskRunStatus.SKIPPED
    with pytest.raises(ConflictError):
        cancel_run(harness.deps, harness.principal, run.run_id)


def test_retry_reuses_succeeded_task_results(harness):
    harness.flaky["fail_next"] = True
    run, _ = trigger_run(harness.deps, harness.principal, "numbers-dep", {"n": 3})
    drain(harness)
    assert get_run(harness.deps, harness.principal, run.run_id).status is RunStatus.FAILED
    retried = retry_run(harness.deps, harness.principal, run.run_id)
    assert retried.status is RunStatus.QUEUED
    drain(harness)
    final = get_run(harness.deps, harness.principal, run.run_id)
    assert final.status is RunStatus.SUCCEEDED and final.result == 3
    assert harness.executions == ["load", "total", "total"]


def test_expired_lease_is_requeued_and_resumes(harness):
    run, _ = trigger_run(harness.deps, harness.principal, "numbers-dep", {"n": 2})
    claimed = claim_run(harness.deps, run.org_id, run.run_id)
    assert claimed is not None  # a worker claimed it, then died
    assert claim_run(harness.deps, run.org_id, run.run_id) is None
    harness.deps.clock = _Shifted(timedelta(seconds=120))
    assert requeue_expired(harness.deps) == 1
    assert get_run(harness.deps, harness.principal, run.run_id).status is RunStatus.QUEUED
    drain(harness)
    assert get_run(harness.deps, harness.principal, run.run_id).status is RunStatus.SUCCEEDED


def test_lost_lease_policy_fail(harness):
    harness.deps.lost_lease_policy = "fail"
    run, _ = trigger_run(harness.deps, harness.principal, "numbers-dep", {})
    claim_run(harness.deps, run.org_id, run.run_id)
    harness.deps.clock = _Shifted(timedelta(seconds=120))
    assert requeue_expired(harness.deps) == 1
    failed = get_run(harness.deps, harness.principal, run.run_id)
    assert failed.status is RunStatus.FAILED and "lease expired" in failed.error_message


class _Shifted:
    def __init__(self, delta):
        self.delta = delta

    def now(self):
        from datetime import datetime, timezone
        return datetime.now(timezone.utc) + self.delta



def test_register_refuses_foreign_or_missing_artifacts(harness):
    from dagy.application.principal import Principal
    from dagy.application.use_cases.accounts import bootstrap
    from dagy.application.use_cases.flows import RegisterFlow, register_flow
    from dagy.domain.errors import ValidationError

    other_org, _ = bootstrap(harness.deps, "other")
    with harness.deps.uow() as uow:
        theirs = uow.flows.get(harness.principal.org_id, "numbers", "1.0.0")
    spec = theirs.flow_spec.to_dict()
    intruder = Principal(other_org.org_id)
    with pytest.raises(ValidationError, match="uploaded by this organization"):
        register_flow(harness.deps, intruder, RegisterFlow(
            "numbers", "1.0.0", spec, theirs.artifact_uri, theirs.code_hash))
    missing = theirs.artifact_uri.rsplit("/", 1)[0] + "/" + "0" * 64 + ".zip"
    with pytest.raises(NotFoundError, match="does not exist"):
        register_flow(harness.deps, harness.principal, RegisterFlow(
            "numbers", "2.0.0", spec, missing, theirs.code_hash))


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(), st.integers(1, 3))
def test_every_event_type_is_idempotent_under_duplicate_shuffled_delivery(harness, rnd, copies):
    """flow_trigger (keyed by message id), run_execute, run_retry and run_status_update,
    each delivered several times in random order, end in the same state as once."""
    from dagy.domain.events import FLOW_TRIGGER, RUN_RETRY, RUN_STATUS_UPDATE
    org = harness.principal.org_id
    bus = MessageBus(harness.deps)
    triggers = [(envelope(FLOW_TRIGGER, org, deployment_name="numbers-dep",
                          parameters={"n": i + 2}), f"msg-{uuid.uuid4().hex}") for i in range(2)]
    deliveries = [t for t in triggers for _ in range(copies)]
    rnd.shuffle(deliveries)
    for body, message_id in deliveries:
        bus.handle(body, message_id)
    with harness.deps.uow() as uow:
        created = [r for r in uow.runs.list(org, limit=1000)[0]
                   if r.idempotency_key and r.idempotency_key.startswith("message:msg-")
                   and r.idempotency_key[len("message:"):] in {m for _, m in triggers}]
    assert len(created) == 2  # one run per trigger message, however often delivered

    harness.flaky["fail_next"] = True
    events = [envelope(RUN_EXECUTE, org, run_id=r.run_id) for r in created] * copies
    rnd.shuffle(events)
    for event in events:
        bus.handle(event)
    failed = [r for r in created
              if get_run(harness.deps, harness.principal, r.run_id).status is RunStatus.FAILED]
    assert len(failed) == 1  # exactly one execution hit the flaky task
    retry_run(harness.deps, harness.principal, failed[0].run_id)
    for _ in range(copies):
        bus.handle(envelope(RUN_RETRY, org, run_id=failed[0].run_id))
    for run in created:
        assert get_run(harness.deps, harness.principal, run.run_id).status is RunStatus.SUCCEEDED

    updates = [envelope(RUN_STATUS_UPDATE, org, run_id=created[0].run_id, status="QUEUED")
               ] * copies  # an illegal change (SUCCEEDED -> QUEUED) is ignored every time
    for event in updates:
        assert bus.handle(event) is False
    assert get_run(harness.deps, harness.principal, created[0].run_id).status is RunStatus.SUCCEEDED
