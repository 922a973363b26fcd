"""DagProgress: readiness and skip propagation on random DAGs, against a direct oracle."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dagy.domain.progress import DagProgress


@st.composite
def dag_and_events(draw):
    n = draw(st.integers(1, 30))
    ups = {f"t{i}": [f"t{j}" for j in sorted(draw(st.sets(st.integers(0, i - 1), max_size=3)))]
           if i else [] for i in range(n)}
    failing = draw(st.sets(st.sampled_from(sorted(ups)), max_size=4))
    return ups, failing


@given(dag_and_events())
def test_walking_the_dag_runs_each_task_once_in_order_and_skips_exactly(case):
    ups, failing = case
    order = list(ups)
    progress = DagProgress(ups)
    ready, ran, skipped, done = progress.ready(order), [], set(), set()
    while ready:
        tid = ready.pop(0)
        assert all(u in done for u in ups[tid]), "a task became ready before its upstream"
        ran.append(tid)
        if tid in failing:
            newly = progress.failed(tid)
            assert not set(newly) & (done | skipped), "skipped something already finished"
            skipped.update(newly)
        else:
            done.add(tid)
            ready.extend(progress.succeeded(tid))
    assert len(ran) == len(set(ran))
    # oracle: a task is skipped iff some upstream failed or was skipped
    expected_skipped = set()
    for tid in order:
        if any(u in failing and u not in expected_skipped or u in expected_skipped for u in ups[tid]):
            expected_skipped.add(tid)
    assert skipped == expected_skipped
    assert set(ran) == set(order) - expected_skipped
    assert progress.finished == set(order)


def test_duplicate_upstream_counts_once():
    progress = DagProgress({"a": [], "b": ["a", "a"]})
    assert progress.ready(["a", "b"]) == ["a"]
    assert progress.succeeded("a") == ["b"]
