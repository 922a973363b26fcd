"""The DAG loop of one run in progress: the ready set, in-flight jobs, timers, every
state change, and the end (committed by the recorder, then the flow's hooks).

Lives on the runner's thread only; task bodies report back through a queue.
"""

from __future__ import annotations

import heapq
from collections import deque
from datetime import datetime, timezone
from queue import Empty, SimpleQueue
from time import monotonic
from typing import Any, Mapping

from dagy.application.context import RunContext, reset_current, set_current
from dagy.application.dag_resume import KeptWork
from dagy.application.hooks import State, call_hooks
from dagy.application.jobs import Job, traceback_text
from dagy.application.log_capture import TaskLogs
from dagy.application.plan import ExecutionPlan, PlannedTask
from dagy.application.report import RunReport
from dagy.domain.progress import DagProgress
from dagy.domain.runs import Run, TaskRun
from dagy.domain.states import RunStatus, TaskRunStatus

PENDING, RUNNING, SUCCEEDED, FAILED, SKIPPED = (
    TaskRunStatus.PENDING, TaskRunStatus.RUNNING, TaskRunStatus.SUCCEEDED,
    TaskRunStatus.FAILED, TaskRunStatus.SKIPPED)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class TaskTimeoutError(TimeoutError):
    pass


class RunExecution(KeptWork):
    """The mutable state of one run. Lives on the caller's thread only."""

    def __init__(self, runner: Any, plan: ExecutionPlan, params: dict, run: Run,
                 cancel: Any, secrets: Any = None) -> None:
        """`secrets`: the run's RunSecrets (dagy.get_secret reads them; every value read
        is masked in the run's logs and stored errors), or None: the run has none."""
        self.runner, self.plan, self.params, self.run, self.cancel = runner, plan, params, run, cancel
        self.secrets = secrets
        self.now, self.recorder, self.pool = runner.now, runner.recorder, runner.task_runner
        self.results: dict[str, Any] = {}
        self.errors: dict[str, BaseException] = {}
        self.task_runs: list[TaskRun] = []
        self.node_runs: dict[str, TaskRun] = {}
        self.progress = DagProgress({tid: task.upstream for tid, task in plan.tasks.items()})
        self.finished = self.progress.finished
        self.ready: deque[Job] = deque()
        self.inflight: dict[int, Job] = {}
        self.deadlines: list[tuple[float, int]] = []
        self.retry_timers: list[tuple[float, int, Job]] = []
        self.mapped: dict[str, list] = {}
        self.kept_items: Mapping[str, Mapping[int, TaskRun]] = {}
        self.reused: set[str] = set()  # tasks whose whole result is the earlier attempt's
        self.done: SimpleQueue = SimpleQueue()
        self.job_ids = 0
        self.cancelled_work = False

    # -- lifecycle -------------------------------------------------------------
    def execute(self, completed: dict[str, Any],
                kept: Mapping[str, TaskRun] | None = None,
                kept_items: Mapping[str, Mapping[int, TaskRun]] | None = None) -> RunReport:
        """`completed`: task id -> result of an earlier attempt (not run again). `kept`:
        the stored task runs of (some of) those tasks; they stay as the earlier attempt
        recorded them (attempt, times, state, output) and are not written again.
        `kept_items`: mapped task id -> map index -> its stored succeeded item, kept the
        same way when the task's inputs are the earlier attempt's (`_kept_items`)."""
        run, plan = self.run, self.plan
        self.kept_items = kept_items or {}
        if run.status is not RunStatus.RUNNING:
            run.move_to(RunStatus.RUNNING, self.now())
        self.recorder.run_changed(run)
        flow_ctx = RunContext(run.flow_name, run.run_id, self.params, _cancel=self.cancel,
                              _secrets=self.secrets)
        self._flow_hooks("on_running", flow_ctx, State.running())
        self._create_task_runs({tid: tr for tid, tr in (kept or {}).items() if tid in completed})
        for tid in plan.order:
            if tid in completed:
                self._restore(tid, completed[tid])
        for tid in self.progress.ready(plan.order):
            self._activate(tid)
        try:
            self._loop()
        except KeyboardInterrupt:
            self.cancel.set()
        if self.cancel.is_set():
            self._drain_after_cancel()
        return self._finish(flow_ctx)

    # -- the loop ----------------------------------------------------------------
    def _loop(self) -> None:
        ready, inflight, done = self.ready, self.inflight, self.done
        capacity = max(1, self.pool.capacity)
        inline_ok = self.pool.supports_inline
        while True:
            if self.cancel.is_set():
                return
            while ready and len(inflight) < capacity:
                job = ready.popleft()
                if inline_ok and not ready and not inflight and job.timeout_seconds is None:
                    self._begin(job)
                    ok, value = job.invoke()
                    self._complete(job, ok, value)
                    break  # re-check cancellation between tasks
                self._begin(job)
                inflight[job.job_id] = job
                if job.timeout_seconds is not None:
                    heapq.heappush(self.deadlines, (monotonic() + job.timeout_seconds, job.job_id))
                self.pool.start(job, self._report)
            if ready and (not inflight or len(inflight) < capacity):
                continue
            if not inflight and not self.retry_timers:
                if not ready:
                    return
                continue
            try:
                item = done.get(timeout=self._wait_time())
            except Empty:
                item = None
            while item is not None:
                job, ok, value = item
                if inflight.pop(job.job_id, None) is not None:
                    self._complete(job, ok, value)
                try:
                    item = done.get_nowait()
                except Empty:
                    item = None
            self._expire_deadlines()
            self._release_retries()

    def _report(self, job: Job, ok: bool, value: Any) -> None:
        self.done.put((job, ok, value))

    def _wait_time(self) -> float | None:
        soonest = None
        if self.deadlines:
            soonest = self.deadlines[0][0]
        if self.retry_timers:
            due = self.retry_timers[0][0]
            soonest = due if soonest is None else min(soonest, due)
        if self.cancel is not None:
            # Poll the cancel signal at least every 0.2 s while tasks run.
            limit = monotonic() + 0.2
            soonest = limit if soonest is None else min(soonest, limit)
        return max(0.0, soonest - monotonic())

    def _expire_deadlines(self) -> None:
        now = monotonic()
        while self.deadlines and self.deadlines[0][0] <= now:
            _, job_id = heapq.heappop(self.deadlines)
            job = self.inflight.pop(job_id, None)
            if job is None:
                continue
            self.pool.abandon(job)
            error = TaskTimeoutError(
                f"task {job.task_run.task_name!r} timed out after {job.timeout_seconds} s")
            self._complete(job, False, error)

    def _release_retries(self) -> None:
        now = monotonic()
        while self.retry_timers and self.retry_timers[0][0] <= now:
            self.ready.append(heapq.heappop(self.retry_timers)[2])

    # -- nodes -------------------------------------------------------------------
    def _activate(self, tid: str) -> None:
        """All upstream tasks succeeded: resolve inputs and queue the job(s)."""
        if self.cancel.is_set():
            return  # left for _drain_after_cancel to skip
        task = self.plan.tasks[tid]
        try:
            args, kwargs = task.resolve(self.results, self.params)
            if task.mapped:
                items = list(args[0])
        except Exception as exc:
            self._fail_before_start(task, exc)
            return
        if not task.mapped:
            self.ready.append(self._new_job(task, self.node_runs[tid], args, kwargs, None))
            return
        run_id, rest = self.run.run_id, args[1:]
        kept = self._kept_items(task, len(items))
        children = [kept.get(i) or TaskRun(f"{run_id}.{tid}[{i}]", run_id, tid, task.name,
                                           map_index=i, executor=task.executor)
                    for i in range(len(items))]
        todo = [i for i in range(len(items)) if i not in kept]
        self.task_runs.extend(children)
        self.recorder.task_runs_changed([children[i] for i in todo])
        self.mapped[tid] = [len(todo), [kept[i].result if i in kept else None
                                        for i in range(len(items))], False]
        if not todo:
            if all(up in self.reused for up in task.upstream):
                self.reused.add(tid)
            self._node_succeeded(tid, self.mapped[tid][1])
        for i in todo:
            self.ready.append(self._new_job(task, children[i], (items[i], *rest), kwargs, i))

    def _new_job(self, task: PlannedTask, tr: TaskRun, args: tuple, kwargs: dict,
                 map_index: int | None) -> Job:
        self.job_ids += 1
        ctx = RunContext(self.run.flow_name, self.run.run_id, self.params, task.name, task.id,
                         tr.task_run_id, 1, map_index, self.cancel, _secrets=self.secrets)
        emit = getattr(self.recorder, "log", None)  # recorders that keep run logs
        if emit is not None:
            label = task.name if map_index is None else f"{task.name}[{map_index}]"
            ctx._logs = TaskLogs(emit, label, tr.task_run_id, task.log_prints, self.now,
                                 mask=None if self.secrets is None else self.secrets.mask)
        return Job(self.job_ids, task.id, tr, task.fn, args, kwargs, ctx,
                   task.timeout_seconds, map_index)

    def _begin(self, job: Job) -> None:
        tr = job.task_run
        tr.move_to(RUNNING, self.now())
        job.context.attempt = tr.attempt
        self.recorder.task_runs_changed((tr,))
        hooks = self.plan.tasks[job.task_id].hooks
        if hooks:
            call_hooks(hooks, "on_running", job.context, State.running())

    def _complete(self, job: Job, ok: bool, value: Any) -> None:
        tr, task = job.task_run, self.plan.tasks[job.task_id]
        if ok:
            tr.move_to(SUCCEEDED, self.now())
            tr.result = value
            self.recorder.task_runs_changed((tr,))
            if task.hooks:
                call_hooks(task.hooks, "on_completion", job.context, State.completed(value))
            if job.map_index is None:
                self._node_succeeded(job.task_id, value)
            else:
                self._map_item_succeeded(job.task_id, job.map_index, value)
            return
        if task.retry.can_retry(tr.attempt) and not self.cancel.is_set():
            tr.move_to(PENDING, self.now())
            tr.error_message = self._masked(_describe(value))
            self.recorder.task_runs_changed((tr,))
            delay = task.retry.delay_for(tr.attempt, self.runner.unit_random())
            retry = self._new_job(task, tr, job.args, job.kwargs, job.map_index)
            if delay > 0:
                heapq.heappush(self.retry_timers, (monotonic() + delay, retry.job_id, retry))
            else:
                self.ready.append(retry)
            return
        tr.move_to(FAILED, self.now())
        tr.error_message = self._masked(_describe(value))
        if isinstance(value, BaseException):
            tr.error_traceback = self._masked(traceback_text(value))
        self.errors[tr.task_run_id] = value
        self.recorder.task_runs_changed((tr,))
        if task.hooks:
            call_hooks(task.hooks, "on_failure", job.context, State.failed(value))
        self._node_failed(job.task_id)

    def _fail_before_start(self, task: PlannedTask, exc: Exception) -> None:
        tr = self.node_runs.get(task.id)
        if tr is None:
            tr = TaskRun(f"{self.run.run_id}.{task.id}", self.run.run_id, task.id, task.name)
            self.node_runs[task.id] = tr
            self.task_runs.append(tr)
        tr.move_to(FAILED, self.now())
        tr.error_message = self._masked(f"could not resolve inputs: {_describe(exc)}")
        self.errors[tr.task_run_id] = exc
        self.recorder.task_runs_changed((tr,))
        self._node_failed(task.id)

    def _map_item_succeeded(self, tid: str, index: int, value: Any) -> None:
        state = self.mapped[tid]
        state[0] -= 1
        state[1][index] = value
        if state[0] == 0 and not state[2]:
            self._node_succeeded(tid, state[1])

    def _node_succeeded(self, tid: str, value: Any) -> None:
        self.results[tid] = value
        for child in self.progress.succeeded(tid):
            self._activate(child)

    def _node_failed(self, tid: str) -> None:
        if tid in self.mapped:
            if self.mapped[tid][2]:
                return
            self.mapped[tid][2] = True
        skipped = [tr for child in self.progress.failed(tid) for tr in self._skip_node(child)]
        if skipped:
            self.recorder.task_runs_changed(skipped)

    def _skip_node(self, tid: str) -> list[TaskRun]:
        tr = self.node_runs.get(tid)
        if tr is None:  # a mapped node that never expanded still gets one record
            task = self.plan.tasks[tid]
            tr = TaskRun(f"{self.run.run_id}.{tid}", self.run.run_id, tid, task.name)
            self.node_runs[tid] = tr
            self.task_runs.append(tr)
        if tr.status is PENDING:
            tr.move_to(SKIPPED, self.now())
            return [tr]
        return []

    # -- cancellation and the end --------------------------------------------------
    def _drain_after_cancel(self) -> None:
        """Start nothing new; let running tasks end (or time out), then skip the rest."""
        self.ready.clear()
        self.retry_timers.clear()
        while self.inflight:
            try:
                job, ok, value = self.done.get(timeout=self._wait_time())
                if self.inflight.pop(job.job_id, None) is not None:
                    self._complete(job, ok, value)
            except Empty:
                pass
            self._expire_deadlines()
        self.ready.clear()
        self.retry_timers.clear()
        now = self.now()
        unexpanded = [t for t, task in self.plan.tasks.items()
                      if task.mapped and t not in self.mapped and t not in self.finished]
        never_started = [tr for t in unexpanded for tr in self._skip_node(t)]
        leftover = [tr for tr in self.task_runs if not tr.status.is_terminal]
        for tr in leftover:
            if tr.status is RUNNING:  # interrupted on the runner's own thread
                tr.move_to(FAILED, now)
                tr.error_message = "interrupted: the run was cancelled"
            else:
                tr.move_to(SKIPPED, now)
        if leftover or never_started:
            self.cancelled_work = True
            self.recorder.task_runs_changed(never_started + leftover)

    def _finish(self, flow_ctx: RunContext) -> RunReport:
        run, result = self.run, None
        if self.cancelled_work:
            status = RunStatus.CANCELLED
        elif self.errors:
            status = RunStatus.FAILED
        else:
            status = RunStatus.SUCCEEDED
            try:
                result = run.result = self.plan.resolve_output(self.results, self.params)
            except Exception as exc:
                status, run.error_message = RunStatus.FAILED, self._masked(
                    f"could not build the flow result: {_describe(exc)}")
        if status is RunStatus.FAILED and run.error_message is None:
            failed = [tr for tr in self.task_runs if tr.status is FAILED]
            run.error_message = f"task {failed[0].task_name!r} failed: {failed[0].error_message}"
        run.move_to(status, self.now())
        # the recorder commits the end; hooks and the report follow what it committed,
        # which is another state when a cancel or a re-queue won the race
        committed = self.run = self.recorder.finish(run)
        if committed.status is not RunStatus.SUCCEEDED:
            result = None
        report = RunReport(committed, result, self.task_runs, self.errors)
        token = set_current(flow_ctx)
        try:
            if committed.status is RunStatus.SUCCEEDED:
                self._flow_hooks("on_completion", flow_ctx, State.completed(result))
            elif committed.status is RunStatus.FAILED:
                self._flow_hooks("on_failure", flow_ctx, State.failed(report.describe_failure()))
        finally:
            reset_current(token)
        return report

    def _masked(self, text: str) -> str:
        """`text` with the secret values the run has read replaced by ***."""
        return text if self.secrets is None else self.secrets.mask(text)

    def _flow_hooks(self, event: str, ctx: RunContext, state: State) -> None:
        if self.plan.hooks:
            call_hooks(self.plan.hooks, event, ctx, state)


def _describe(error: Any) -> str:
    if isinstance(error, BaseException):
        text = str(error)
        return f"{type(error).__name__}: {text}" if text else type(error).__name__
    return str(error)
