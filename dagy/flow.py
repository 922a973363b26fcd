"""`@flow`: a DAG of tasks, traced into a FlowSpec and run locally or deployed."""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Iterable

from dagy.application.hooks import normalize_hooks
from dagy.building import build_plan, build_spec
from dagy.tracing import FlowParameter, Trace, active_trace, run_traced
from dagy.signature import flow_parameters
from dagy.domain.errors import ConfigurationError
from dagy.domain.flowspec import FlowSpec
from dagy.domain.parameters import bind_parameters
from dagy.domain.tiers import parse_executor, parse_tier


class Flow:
    """A flow. `spec` is its static DAG; `run_local()` executes it in this process."""

    def __init__(self, fn: Callable[..., Any], name: str | None = None, version: str = "latest",
                 description: str | None = None, namespace: str | None = None,
                 tags: dict[str, str] | Iterable[str] | None = None,
                 default_executor: str | None = None, runtime_tier: str | None = None,
                 hooks: Any = None, max_workers: int | None = None,
                 task_runner: Any = None, log_prints: bool = True) -> None:
        if not callable(fn):
            raise ConfigurationError(f"@flow needs a function, got {fn!r}")
        if not isinstance(log_prints, bool):
            raise ConfigurationError(f"log_prints must be True or False, got {log_prints!r}")
        self.log_prints = log_prints
        self.fn = fn
        self.name = name or fn.__name__
        self.version = str(version)
        self.description = description if description is not None else inspect.getdoc(fn)
        self.namespace = namespace
        if isinstance(tags, str):
            tags = [tags]
        self.tags = dict(tags) if isinstance(tags, dict) else {t: "" for t in (tags or ())}
        self.default_executor = parse_executor(default_executor)
        self.runtime_tier = parse_tier(runtime_tier)
        self.hooks = normalize_hooks(hooks)
        if max_workers is not None and (not isinstance(max_workers, int) or max_workers < 1):
            raise ConfigurationError(f"max_workers must be a positive integer, got {max_workers!r}")
        self.max_workers = max_workers
        self.task_runner = task_runner
        self._built: tuple | None = None
        functools.update_wrapper(self, fn, updated=())

    def _build(self) -> tuple:
        if self._built is None:
            parameters, defaults = flow_parameters(self.fn)
            trace = run_traced(Trace(self.name), self.fn,
                               {p.name: FlowParameter(p.name) for p in parameters})
            spec = build_spec(self, trace, parameters)
            self._built = (trace, spec, defaults, None)
        return self._built

    @property
    def spec(self) -> FlowSpec:
        """The static DAG, built by tracing the body with parameter placeholders."""
        return self._build()[1]

    @property
    def plan(self):
        trace, spec, defaults, plan = self._build()
        if plan is None:
            plan = build_plan(self, trace, spec, defaults)
            self._built = (trace, spec, defaults, plan)
        return plan

    def bind(self, params: dict[str, Any]) -> dict[str, Any]:
        """Validate run parameters against the flow's signature (ParameterError if wrong)."""
        _, spec, defaults, _ = self._build()
        return bind_parameters(spec.parameters, params, defaults)

    def run_local(self, return_state: bool = False, _secrets: Any = None,
                  **params: Any) -> Any:
        """Run in this process. Returns the flow's value with every TaskOutput resolved,
        or with `return_state=True` the RunReport (status, result, task_runs).
        `dagy.get_secret(NAME)` in its tasks reads DAGY_SECRET_NAME (or the `secrets=`
        of `dagy.run_local(flow, secrets=...)`)."""
        from dagy.local import run_plan
        bound = self.bind(params)
        report = run_plan(self.plan, bound, max_workers=self.max_workers,
                          task_runner=self.task_runner, secrets=_secrets)
        return report if return_state else report.raise_for_status()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if active_trace() is not None:  # a subflow: its tasks join the caller's graph
            return self.fn(*args, **kwargs)
        bound = inspect.signature(self.fn).bind(*args, **kwargs)
        return self.run_local(**bound.arguments)

    def deploy(self, name: str | None = None, force: bool = False, client: Any = None,
               **options: Any) -> Any:
        """Build, upload and register; skipped when the code_hash is unchanged.
        `options`: schedule, output_dir, environment (where a new deployment goes)."""
        from dagy.deploy import deploy_flow
        return deploy_flow(self, name, force=force, client=client, **options)

    def run(self, **params: Any) -> Any:
        """Trigger a run of this flow's deployment on the control plane; returns a Run."""
        from dagy.deploy import run_flow
        return run_flow(self, params)

    def with_options(self, **changes: Any) -> "Flow":
        options = dict(name=self.name, version=self.version, description=self.description,
                       namespace=self.namespace, tags=self.tags,
                       default_executor=self.default_executor, runtime_tier=self.runtime_tier,
                       hooks=self.hooks, max_workers=self.max_workers,
                       task_runner=self.task_runner)
        options.update(changes)
        return Flow(self.fn, **options)

    def __repr__(self) -> str:
        return f"Flow({self.name!r}, version={self.version!r})"


def flow(fn: Callable[..., Any] | None = None, /, **options: Any) -> Any:
    """Decorate a function as a flow: `@flow` or `@flow(name="etl", version="1.0.0")`."""
    if fn is None:
        return lambda f: Flow(f, **options)
    return Flow(fn, **options)
