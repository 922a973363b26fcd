"""run_local: results, failures, reports, parameters, maps, hooks and RunContext."""

from __future__ import annotations

import subprocess
import sys

import pytest

import dagy
from dagy import FlowRunError, Hook, RunContext, State, flow, task
from dagy.domain.errors import ParameterError
from dagy.domain.states import RunStatus, TaskRunStatus


@task
def add(a, b):
    return a + b


@task
def explode(x):
    raise ValueError(f"bad value {x}")


def test_result_is_resolved_in_nested_structures():
    @flow
    def f(x: int, y: int = 10):
        s = add(x, y)
        return {"sum": s, "both": [s, add(s, 1)], "const": "c", "param": x}
    assert f.run_local(x=1) == {"sum": 11, "both": [11, 12], "const": "c", "param": 1}
    assert f(2, y=3) == {"sum": 5, "both": [5, 6], "const": "c", "param": 2}


def test_failure_raises_naming_the_task_and_error():
    @flow
    def f():
        return explode(add(1, 2))
    with pytest.raises(FlowRunError) as info:
        f.run_local()
    assert "task 'explode' failed" in str(info.value)
    assert "ValueError: bad value 3" in str(info.value)
    assert isinstance(info.value.report.error, ValueError)


def test_return_state_report_has_task_run_fields():
    @flow
    def f():
        return explode(add(1, 2))
    report = f.run_local(return_state=True)
    assert report.status == RunStatus.FAILED == "FAILED"
    assert report.result is None
    runs = {tr.task_name: tr for tr in report.task_runs}
    assert runs["add"].status is TaskRunStatus.SUCCEEDED
    assert runs["add"].attempt == 1
    assert runs["add"].started_at <= runs["add"].completed_at
    assert runs["explode"].error_message == "ValueError: bad value 3"
    ok = flow(lambda: add(1, 1)).run_local(return_state=True)
    assert (ok.status, ok.result) == (RunStatus.SUCCEEDED, 2)


def test_parameters_are_validated():
    @flow
    def f(x: int, name: str = "n"):
        return add(x, 1)
    with pytest.raises(ParameterError, match="missing required parameter 'x'"):
        f.run_local()
    with pytest.raises(ParameterError, match="unknown parameter 'z'"):
        f.run_local(x=1, z=2)
    with pytest.raises(ParameterError, match="must be integer"):
        f.run_local(x="one")


def test_map_fans_out_in_order_over_a_task_output():
    @task
    def items(n):
        return list(range(n))

    @task
    def square(x, offset=0):
        return x * x + offset

    @flow
    def f(n: int):
        squares = square.map(items(n), offset=1)
        return add(squares, [0])
    report = f.run_local(n=5, return_state=True)
    assert report.result == [1, 2, 5, 10, 17, 0]
    mapped = [tr for tr in report.task_runs if tr.task_name == "square"]
    assert [tr.map_index for tr in mapped] == [0, 1, 2, 3, 4]
    assert f.run_local(n=0) == [0]


def test_mapped_item_failure_fails_node_and_skips_downstream():
    @task
    def maybe(x):
        if x == 2:
            raise RuntimeError("two")
        return x

    @task
    def total(xs):
        return sum(xs)

    @flow
    def f():
        return total(maybe.map([1, 2, 3]))
    report = f.run_local(return_state=True)
    assert report.status is RunStatus.FAILED
    assert "maybe[1]" in report.describe_failure()
    assert report.task_run("total").status is TaskRunStatus.SKIPPED


def test_map_over_non_iterable_fails_before_start():
    @task
    def one():
        return 5

    @task
    def ident(x):
        return x

    @flow
    def f():
        return ident.map(one())
    report = f.run_local(return_state=True)
    assert report.status is RunStatus.FAILED
    assert "could not resolve inputs: TypeError" in report.describe_failure()


def test_run_context_inside_tasks_and_none_outside():
    seen = {}

    @task(name="probe")
    def probe():
        ctx = RunContext.current()
        seen.update(flow=ctx.flow_name, run=ctx.run_id, task=ctx.task_name,
                    attempt=ctx.attempt, params=dict(ctx.parameters))
        return 1

    @flow(name="ctx_flow")
    def f(p: str = "v"):
        return probe()
    report = f.run_local(p="w", return_state=True)
    assert seen == {"flow": "ctx_flow", "run": report.run_id, "task": "probe",
                    "attempt": 1, "params": {"p": "w"}}
    assert RunContext.current() is None


class Recording(Hook):
    def __init__(self):
        self.events = []

    def on_running(self, context, state):
        self.events.append(("running", context.task_name, state.type))

    def on_completion(self, context, state):
        self.events.append(("completion", context.task_name, state.result))

    def on_failure(self, context, state):
        self.events.append(("failure", context.task_name, state.message))


def test_task_and_flow_hooks_fire_with_context_and_state():
    task_hook, flow_hook = Recording(), Recording()
    good = add.with_options(name="good", hooks=[task_hook])
    bad = explode.with_options(name="bad", hooks=task_hook)

    @flow(hooks=[flow_hook])
    def f():
        g = good(1, 2)
        return bad(g)
    f.run_local(return_state=True)
    assert task_hook.events == [("running", "good", "RUNNING"), ("completion", "good", 3),
                                ("running", "bad", "RUNNING"),
                                ("failure", "bad", "ValueError: bad value 3")]
    assert flow_hook.events[0] == ("running", None, "RUNNING")
    assert flow_hook.events[1][0] == "failure" and "bad" in flow_hook.events[1][2]


def test_hooks_that_raise_or_take_only_state_do_not_break_runs():
    calls = []

    class Broken(Hook):
        def on_running(self, context, state):
            raise RuntimeError("hook bug")

    class StateOnly(Hook):
        def on_completion(self, state):
            calls.append(state.is_completed())

    @flow(hooks=[Broken, StateOnly()])
    def f():
        return add(1, 1)
    assert f.run_local() == 2
    assert calls == [True]


def test_state_factories():
    assert dagy.running().is_running() and State.running().type == "RUNNING"
    assert dagy.completed(5).result == 5 and dagy.completed().is_completed()
    err = ValueError("x")
    assert dagy.failed(err).message == "ValueError: x" and dagy.failed("m").is_failed()


def test_async_tasks_run():
    @task
    async def twice(x):
        return x * 2

    @flow
    def f():
        return twice(add(1, 1))
    assert f.run_local() == 4


def test_public_names_import():
    for name in ["flow", "task", "Flow", "Task", "FlowSpec", "TaskOutput", "RunContext", "Hook",
                 "State", "running", "completed", "failed", "DagyClient", "build_artifact",
                 "deploy_artifact", "LocalArtifact", "Deployment", "Executor", "Run"]:
        assert getattr(dagy, name) is not None, name


def test_import_dagy_loads_no_heavy_framework():
    code = ("import sys, dagy; heavy = [m for m in ('sqlalchemy', 'fastapi', 'boto3', 'stripe', "
            "'mangum', 'typer', 'rich', 'httpx') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
