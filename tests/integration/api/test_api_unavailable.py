"""A failing backing service answers 503 in the error shape, never a 500 or a 400."""

from __future__ import annotations

from dagy.adapters.sql.queue import QueueUnavailableError
from dagy.adapters.sql.rows import DatastoreError


def test_datastore_outage_is_503(api):
    key = api.key

    def broken_uow():
        raise DatastoreError("database is unreachable")
    api.deps.uow = broken_uow
    response = api.client.get("/runs", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"


def test_queue_outage_loses_no_run(api):
    """The run and its event commit together; a dead queue only delays the relay."""
    import pytest
    from dagy.application.use_cases.outbox import relay_outbox

    api.deploy()
    real_send = api.deps.queue.send

    def refuse(bodies):
        raise QueueUnavailableError("queue is down")
    api.deps.queue.send = refuse
    run = api.trigger(parameters={"n": 3})
    with pytest.raises(QueueUnavailableError):
        relay_outbox(api.deps)
    assert api.pending_outbox() == 1
    api.deps.queue.send = real_send
    api.drain()
    assert api.pending_outbox() == 0
    assert api.get(f"/runs/{run['run_id']}").json()["status"] == "SUCCEEDED"
