"""The PollProbe contract (application/ports/probes.py), on every probe.

Probes: InMemoryPollProbe, HttpPollProbe (a real server on 127.0.0.1 whose resource has an
ETag, a Last-Modified date, or neither), S3PollProbe (moto), and both real probes reached
through `probe_by_kind` (see probe_harness.py). Contract: the first poll of a resource sets
a cursor; an unchanged resource answers the sensor's own cursor, so a change is reported
once; failures raise ProbeError; a probe stays within its time, size and page budgets.
Capabilities: `can_be_empty` (an empty resource answers "nothing there yet"), a bad
config the probe refuses, and budgets (the in-memory probe has none).
"""

from __future__ import annotations

import time

import pytest

from dagy.application.ports.probes import ProbeError
from dagy.application.use_cases.sensor_triggers import probe_by_kind
from probe_harness import BUILDERS, ProbeHarness, sensor


@pytest.fixture(params=sorted(BUILDERS))
def harness(request):
    built: ProbeHarness = BUILDERS[request.param](request)
    yield built
    built.close()


def test_the_first_poll_sets_a_cursor(harness):
    harness.change(1)
    cursor, payload = harness.probe(harness.sensor())
    assert isinstance(cursor, str) and cursor
    assert payload is None or isinstance(payload, dict)


def test_an_unchanged_resource_answers_the_sensors_own_cursor(harness):
    harness.change(1)
    cursor, _ = harness.probe(harness.sensor())
    for _ in range(2):
        assert harness.probe(harness.sensor(cursor))[0] == cursor


def test_a_change_is_reported_once_with_a_payload_describing_it(harness):
    harness.change(1)
    first, _ = harness.probe(harness.sensor())
    expected = harness.change(2)
    second, payload = harness.probe(harness.sensor(first))
    assert second not in (None, first)
    assert isinstance(payload, dict) and expected.items() <= payload.items()
    assert harness.probe(harness.sensor(second))[0] == second
    harness.change(3)
    assert harness.probe(harness.sensor(second))[0] not in (None, first, second)


def test_an_empty_resource_is_nothing_there_yet(harness):
    if not harness.can_be_empty:
        pytest.skip(f"{harness.kind}: a resource always answers something (or fails)")
    assert harness.probe(harness.sensor()) == (None, None)


def test_a_failing_resource_raises_probe_error(harness):
    harness.change(1)
    cursor, _ = harness.probe(harness.sensor())
    harness.fail()
    with pytest.raises(ProbeError):
        harness.probe(harness.sensor(cursor))


def test_a_config_the_probe_cannot_use_raises_probe_error(harness):
    if harness.bad_config is None:
        pytest.skip(f"{harness.kind}: reads no config")
    with pytest.raises(ProbeError):
        harness.probe(sensor(harness.bad_config))


def test_a_probe_stays_within_its_budgets(harness):
    if harness.over_budget is None:
        pytest.skip(f"{harness.kind}: answers from memory, nothing to bound")
    harness.change(1)
    for probe, watched in harness.over_budget():
        started = time.monotonic()
        with pytest.raises(ProbeError):
            (probe or harness.probe)(watched)
        assert time.monotonic() - started < 1.5


def test_probe_by_kind_refuses_a_kind_it_has_no_probe_for():
    probe = probe_by_kind({"http": lambda s: ("never", None)})
    for config in ({"kind": "s3", "bucket": "b"}, {}):
        with pytest.raises(ProbeError, match="no probe is configured"):
            probe(sensor(config))
