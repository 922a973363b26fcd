"""Tracing builds the static FlowSpec without running task bodies."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_budget import examples

from dagy import FlowSpec, TaskOutput, flow, task
from dagy.domain.errors import ConfigurationError, TracingError

bodies_run = []


@task
def fetch(url: str) -> str:
    bodies_run.append("fetch")
    return f"<html>{url}</html>"


@task(retries=2, retry_delay_seconds=[1, 5], timeout_seconds=30, runtime_tier="small",
      memory_mb=512, tags=["io"], executor="lambda")
def parse(html: str) -> dict:
    bodies_run.append("parse")
    return {"title": html[:10], "length": len(html)}


@task
def merge(items: list, extra: dict | None = None) -> list:
    return [items, extra]


@flow(name="web_scraper", version="1.0.0", namespace="data/web", tags={"team": "data"})
def web_scraper(url: str, depth: int = 2):
    html = fetch(url)
    first = parse(html)
    second = parse(fetch(url))
    return merge([first, second], extra={"length": first["length"]})


def test_spec_is_built_without_running_bodies():
    bodies_run.clear()
    spec = web_scraper.spec
    assert bodies_run == []
    assert isinstance(spec, FlowSpec)
    assert [t.id for t in spec.tasks] == ["fetch", "parse", "fetch-2", "parse-2", "merge"]


def test_same_task_twice_gives_distinct_nodes_and_edges_from_nested_args():
    spec = web_scraper.spec
    assert set(spec.edges) == {("fetch", "parse"), ("fetch-2", "parse-2"),
                               ("parse", "merge"), ("parse-2", "merge")}
    assert spec.outputs == ["merge"]
    assert spec.tasks["merge"].inputs["kwargs"]["extra"] == {
        "length": {"$ref": "parse", "path": ["length"]}}
    assert spec.tasks["fetch"].inputs["args"] == [{"$param": "url"}]


def test_task_options_and_parameters_land_in_the_spec():
    spec = web_scraper.spec
    p = spec.tasks["parse"]
    assert (p.retries, p.retry_delay_seconds, p.timeout_seconds) == (2, [1, 5], 30)
    assert (p.runtime_tier, p.memory_mb, p.tags, p.executor) == ("small", 512, ("io",), "lambda")
    assert p.function.endswith(":parse")
    params = spec.parameters
    assert [(x.name, x.type, x.required, x.default) for x in params] == [
        ("url", "string", True, None), ("depth", "integer", False, 2)]
    assert (spec.name, spec.version, spec.namespace, spec.tags) == (
        "web_scraper", "1.0.0", "data/web", {"team": "data"})


def test_spec_json_round_trips_exactly():
    spec = web_scraper.spec
    text = spec.to_json()
    again = FlowSpec.from_json(text)
    assert again == spec
    assert again.to_json() == text
    assert FlowSpec.from_json(spec.to_json(indent=2)).to_json(indent=2) == spec.to_json(indent=2)


def test_task_outside_a_flow_just_runs():
    assert fetch("x") == "<html>x</html>"
    assert fetch.map(["a", "b"]) == ["<html>a</html>", "<html>b</html>"]


def test_task_output_has_no_value_while_tracing():
    @task
    def t():
        return 1

    @flow
    def branches():
        if t():
            return 1

    with pytest.raises(TracingError, match="test the truth"):
        branches.spec

    @flow
    def loops():
        return [x for x in t()]
    with pytest.raises(TracingError, match="iterate"):
        loops.spec

    @flow
    def formats(name: str):
        return t(f"hello {name}")
    with pytest.raises(TracingError, match="parameter 'name'"):
        formats.spec


def test_output_of_another_flow_is_rejected():
    @task
    def t(x=None):
        return x

    holder = {}

    @flow
    def one():
        holder["out"] = t()

    @flow
    def two():
        return t(holder["out"])
    one.spec
    with pytest.raises(TracingError, match="another flow"):
        two.spec


def test_wait_for_and_subflows_make_edges():
    @task
    def a():
        return 1

    @task
    def b():
        return 2

    @flow
    def inner(x):
        return b(wait_for=[x])

    @flow
    def outer():
        first = a()
        return inner(first)
    spec = outer.spec
    assert set(spec.edges) == {("a", "b")}
    assert outer.run_local() == 2


def test_bad_decorator_options_are_clear_errors():
    for options, message in [({"retries": -1}, "retries"), ({"timeout_seconds": 0}, "timeout"),
                             ({"runtime_tier": "huge"}, "runtime tier"),
                             ({"executor": "k8s"}, "executor"), ({"memory_mb": -5}, "memory_mb"),
                             ({"retry_delay_seconds": [-1]}, "retry_delay_seconds"),
                             ({"retry_jitter_factor": -0.5}, "jitter")]:
        with pytest.raises(ConfigurationError, match=message):
            task(**options)(lambda: None)
    with pytest.raises(ConfigurationError, match="runtime tier"):
        flow(runtime_tier="giant")(lambda: None)


def test_flows_reject_var_args():
    @flow
    def f(*args):
        return None
    with pytest.raises(TracingError, match="named parameters"):
        f.spec


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(st.lists(st.integers(0, 50), max_size=3), min_size=1, max_size=30))
def test_traced_edges_match_the_calls(shape):
    """Each node i takes outputs of earlier nodes (indexes mod i); edges must match exactly."""
    @task
    def node(*xs):
        return sum(xs) + 1

    @flow
    def generated():
        outs = []
        for i, picks in enumerate(shape):
            ups = [outs[p % i] for p in picks] if i else []
            outs.append(node(*ups))
        return outs
    spec = generated.spec
    ids = [t.id for t in spec.tasks]
    expected = {(ids[p % i], ids[i]) for i, picks in enumerate(shape) if i for p in picks}
    assert set(spec.edges) == expected
    assert isinstance(FlowSpec.from_json(spec.to_json()), FlowSpec)
    result = generated.run_local()
    assert len(result) == len(shape)


def test_task_output_indexing_builds_paths():
    out = TaskOutput("t")["a"][0]
    assert (out.task_id, out.path) == ("t", ("a", 0))


def test_function_ref_of_a_script_names_its_file(tmp_path):
    import subprocess
    import sys
    script = tmp_path / "my_script.py"
    script.write_text("from dagy import flow, task\n@task\ndef a():\n    return 1\n"
                      "@flow\ndef f():\n    return a()\nprint(f.spec.tasks[0].function)\n")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "my_script:a"
