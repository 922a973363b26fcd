"""From a Trace to the two products of a flow: its FlowSpec and its ExecutionPlan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dagy.application.plan import ExecutionPlan, PlannedTask
from dagy.tracing import Trace
from dagy.domain.flowspec import FlowSpec, ParameterSpec, TaskSpec
from dagy.domain.refs import collect_refs, encode_template

if TYPE_CHECKING:
    from dagy.flow import Flow


def _delay_json(delay: Any) -> Any:
    if callable(delay):
        return {"callable": f"{delay.__module__}:{getattr(delay, '__qualname__', repr(delay))}"}
    if isinstance(delay, tuple):
        return list(delay)
    return delay


def build_spec(flow: "Flow", trace: Trace, parameters: list[ParameterSpec]) -> FlowSpec:
    tasks = []
    for node in trace.nodes.values():
        task = node.task
        tasks.append(TaskSpec(
            id=node.id, name=task.name, function=task.function_ref, upstream=node.upstream,
            inputs={"args": encode_template(node.args), "kwargs": encode_template(node.kwargs)},
            mapped=node.mapped, retries=task.retries,
            retry_delay_seconds=_delay_json(task.retry_delay_seconds),
            retry_jitter_factor=task.retry_jitter_factor, timeout_seconds=task.timeout_seconds,
            executor=task.executor, runtime_tier=task.runtime_tier, memory_mb=task.memory_mb,
            tags=task.tags, description=task.description,
        ))
    output_ids: list[str] = []
    collect_refs(trace.output, output_ids, [])
    return FlowSpec(
        name=flow.name, version=flow.version, description=flow.description,
        namespace=flow.namespace, tags=flow.tags, default_executor=flow.default_executor,
        runtime_tier=flow.runtime_tier, parameters=parameters, tasks=tasks,
        outputs=list(dict.fromkeys(output_ids)), output_template=encode_template(trace.output),
    )


def build_plan(flow: "Flow", trace: Trace, spec: FlowSpec, defaults: dict[str, Any]) -> ExecutionPlan:
    tasks = {}
    for node in trace.nodes.values():
        task = node.task
        tasks[node.id] = PlannedTask(
            id=node.id, name=task.name, fn=task._call, args=node.args, kwargs=node.kwargs,
            upstream=node.upstream, mapped=node.mapped, retry=task.retry_policy,
            timeout_seconds=task.timeout_seconds, executor=task.executor, hooks=task.hooks,
            log_prints=flow.log_prints if task.log_prints is None else task.log_prints,
        )
    return ExecutionPlan(spec=spec, tasks=tasks, output=trace.output, hooks=flow.hooks,
                         parameter_defaults=defaults)
